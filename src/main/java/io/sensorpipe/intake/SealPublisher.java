package io.sensorpipe.intake;

import java.util.concurrent.ExecutorService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import io.sensorpipe.metrics.FileSealed;

/**
 * Publishes a file's seal behind its chunks ({@link ReadingPublisher#sendSeal}) without holding any
 * thread while the broker answers: the exchange ends, on a thread of its own (never the Kafka client's
 * network thread, which must stay free to receive the answer), once the seal is acknowledged; a seal
 * the broker refused fails the read, and the file is read again.
 */
@ApplicationScoped
@Named("sealPublisher")
public class SealPublisher extends AsyncProcessorSupport implements AsyncProcessor {

    private final ReadingPublisher publisher;
    private final ExecutorService resume;

    public SealPublisher(CamelContext camel, ReadingPublisher publisher) {
        this.publisher = publisher;
        // Shut down with the Camel context, which created it.
        this.resume = camel.getExecutorServiceManager().newSingleThreadExecutor(this, "intake-seals");
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            publisher.sendSeal(exchange.getMessage().getBody(FileSealed.class), (metadata, error) -> resume.execute(() -> {
                if (error != null) {
                    exchange.setException(error);
                }
                callback.done(false);
            }));
            return false;
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }
}
