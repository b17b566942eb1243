package io.sensorpipe.intake;

import java.util.concurrent.ExecutorService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import io.sensorpipe.records.ExchangeProperties;

/**
 * Holds a file's exchange until the broker has acknowledged every record sent for it, without holding
 * the file consumer's thread: that thread goes on reading the next file meanwhile (Camel's file
 * consumer does not wait for an exchange that continues asynchronously). The exchange then resumes on
 * a thread of its own, never on the Kafka client's network thread. A record that failed fails the
 * exchange, and the file is read again later.
 */
@ApplicationScoped
@Named("acksAwaiter")
public class AcksAwaiter extends AsyncProcessorSupport implements AsyncProcessor {

    private final ExecutorService resume;

    public AcksAwaiter(CamelContext camel) {
        // Shut down with the Camel context, which created it.
        this.resume = camel.getExecutorServiceManager().newSingleThreadExecutor(this, "intake-acks");
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        FileIntake intake = exchange.getProperty(ExchangeProperties.FILE_INTAKE, FileIntake.class);
        ReadingPublisher.Acks acks = intake.acks();
        acks.whenAcknowledged(intake.rowsPublished(), () -> resume.execute(() -> {
            try {
                acks.throwIfFailed();
                if (acks.acknowledged() != intake.rowsPublished()) {
                    throw new IllegalStateException(intake.fileName() + ": " + acks.acknowledged() + " of "
                            + intake.rowsPublished() + " readings acknowledged by the broker");
                }
            } catch (Exception e) {
                exchange.setException(e);
            }
            callback.done(false);
        }));
        return false;
    }
}
