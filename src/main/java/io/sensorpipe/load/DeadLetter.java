package io.sensorpipe.load;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;

import io.sensorpipe.records.DeadLetterReason;

/**
 * A record of the readings topic that will not be loaded, and why.
 *
 * @param record    the consumed record: its key, value, headers, topic, partition and offset
 * @param fileId    the {@code ingest_file} the record's rows belong to, when the record says and the file exists
 * @param exception what went wrong with it
 */
public record DeadLetter(Exchange record, Long fileId, DeadLetterReason reason, Throwable exception, Instant at) {

    public static DeadLetter of(Exchange record, Long fileId, DeadLetterReason reason, Throwable exception) {
        return new DeadLetter(record, fileId, reason, exception, Instant.now());
    }

    public String topic() {
        return record.getMessage().getHeader(KafkaConstants.TOPIC, "", String.class);
    }

    public int partition() {
        return record.getMessage().getHeader(KafkaConstants.PARTITION, -1, Integer.class);
    }

    public long offset() {
        return record.getMessage().getHeader(KafkaConstants.OFFSET, -1L, Long.class);
    }

    /** {@code sensor-readings-1@42}: topic, partition and offset, as Kafka's tools write them. */
    public String where() {
        return topic() + "-" + partition() + "@" + offset();
    }

    /** The exception's message, on one line and at most 1,000 characters. */
    public String message() {
        String message = String.valueOf(exception.getMessage()).replace('\n', ' ').replace('\r', ' ');
        return message.length() > 1000 ? message.substring(0, 1000) + "..." : message;
    }
}
