package io.sensorpipe.metrics;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Sent by {@code csv-intake} once a file has been read to its end: how many of its rows the loader
 * must commit before the file's metrics are complete.
 *
 * @param rowsExpected rows handed to Kafka, i.e. rows that will reach {@code raw_sensor_data}
 */
@RegisterForReflection
public record FileSealed(long fileId, String fileName, long rowsTotal, long rowsQuarantined, long rowsExpected,
        long startNanos) {
}
