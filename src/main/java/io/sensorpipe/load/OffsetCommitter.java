package io.sensorpipe.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.jboss.logging.Logger;

import io.sensorpipe.records.ExchangeProperties;

/**
 * Commits the Kafka offsets of a batch once its rows are committed in PostgreSQL. A batch may span
 * partitions, and a manual commit covers one partition, so the last record of each partition commits.
 */
@ApplicationScoped
@Named("offsetCommitter")
public class OffsetCommitter {

    private static final Logger LOG = Logger.getLogger(OffsetCommitter.class);

    /** When the loader last moved: committed a batch, or started. */
    private volatile long lastCommitNanos = System.nanoTime();

    public void commit(@ExchangeProperty(ExchangeProperties.KAFKA_RECORDS) List<Exchange> records) {
        Map<Integer, KafkaManualCommit> lastPerPartition = new LinkedHashMap<>();
        for (Exchange record : records) {
            Integer partition = record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT,
                    KafkaManualCommit.class);
            if (commit != null) {
                lastPerPartition.put(partition, commit);
            }
        }
        try {
            lastPerPartition.values().forEach(KafkaManualCommit::commit);
            lastCommitNanos = System.nanoTime();
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The rows are committed in PostgreSQL; only the offsets are lost. The partitions went to a
            // new assignment (e.g. this consumer was too long away while the database was down), whose
            // owner reads the batch again: the unique key skips its rows and the metrics never see them
            // twice. Retrying this commit could never succeed.
            LOG.warnf("Kafka offsets of a loaded batch were not committed (%s); its %d records will be read again"
                    + " and skipped as already loaded", e.getMessage(), records.size());
        }
    }

    /** Time since the loader last committed a batch's offsets (or started). */
    public java.time.Duration sinceLastCommit() {
        return java.time.Duration.ofNanos(System.nanoTime() - lastCommitNanos);
    }
}
