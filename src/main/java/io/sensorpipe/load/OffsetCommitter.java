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

/**
 * Commits the Kafka offsets of a batch once its rows are committed in PostgreSQL. A batch may span
 * partitions, and a manual commit covers one partition, so the last record of each partition commits.
 */
@ApplicationScoped
@Named("offsetCommitter")
public class OffsetCommitter {

    public static final String RECORDS = "kafkaRecords";

    public void commit(@ExchangeProperty(RECORDS) List<Exchange> records) {
        Map<Integer, KafkaManualCommit> lastPerPartition = new LinkedHashMap<>();
        for (Exchange record : records) {
            Integer partition = record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT,
                    KafkaManualCommit.class);
            if (commit != null) {
                lastPerPartition.put(partition, commit);
            }
        }
        lastPerPartition.values().forEach(KafkaManualCommit::commit);
    }
}
