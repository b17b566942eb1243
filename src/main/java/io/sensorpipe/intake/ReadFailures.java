package io.sensorpipe.intake;

import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.support.Failures;
import io.sensorpipe.support.Texts;

/**
 * Bounds the reads of a file that fail for a reason that is neither its content (quarantined at once)
 * nor an outage (waited out): each such failure is counted in {@code ingest_file.failed_reads}, and
 * the last read allowed ({@code pipeline.failures.max-file-reads}) quarantines the file with its error.
 */
@ApplicationScoped
@Named("readFailures")
public class ReadFailures {

    private static final Logger LOG = Logger.getLogger(ReadFailures.class);

    private final ReadLedger ledger;
    private final int maxReads;
    private final int maxMessageChars;

    public ReadFailures(ReadLedger ledger, PipelineConfig config) {
        this.ledger = ledger;
        this.maxReads = config.failures().maxFileReads();
        this.maxMessageChars = config.limits().maxMessageChars();
    }

    /** For {@code onWhen}: this failed read of a file is the last one it is allowed. */
    public boolean isLastRead(Exchange exchange) {
        FileIntake intake = exchange.getProperty(ExchangeProperties.FILE_INTAKE, FileIntake.class);
        return intake != null && intake.failedReads() + 1 >= maxReads && !Failures.isTransient(failure(exchange));
    }

    /**
     * Counts this failed read in {@code ingest_file}, with its error. On the last read allowed, the
     * caught exception becomes the reason the file is quarantined with.
     */
    public void count(Exchange exchange) throws SQLException {
        FileIntake intake = exchange.getProperty(ExchangeProperties.FILE_INTAKE, FileIntake.class);
        Throwable failure = failure(exchange);
        if (intake == null || failure == null) {
            return;
        }
        String error = error(failure, maxMessageChars);
        int reads = ledger.failedRead(intake.fileId(), error);
        intake.failedReads(reads);
        if (reads >= maxReads) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new UnreadableFileException(lastRead(reads, error), failure));
        } else {
            LOG.warnf("%s: read %d of at most %d failed (%s); it is read again at the next poll", intake.fileName(),
                    reads, maxReads, error);
        }
    }

    /** A failed read's error as ingest_file keeps it. */
    public static String error(Throwable failure, int maxMessageChars) {
        return Texts.cut(failure.getClass().getName() + ": " + failure.getMessage(), maxMessageChars);
    }

    /** Why a file whose reads all failed is quarantined. */
    public static String lastRead(int reads, String error) {
        return String.format("%d reads failed, the last with %s", reads, error);
    }

    private static Throwable failure(Exchange exchange) {
        return exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
