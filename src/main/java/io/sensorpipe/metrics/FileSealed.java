package io.sensorpipe.metrics;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sensorpipe.quarantine.QualitySummary;

/**
 * Sent by {@code csv-intake} once a file has been read to its end: how many of its rows the loader
 * must commit before the file's metrics are complete. A discarded file (quarantined whole) completes
 * at once and gets no metrics.
 *
 * @param path         where the input file is, until it leaves the data folder
 * @param rowsExpected rows handed to Kafka, i.e. rows that will reach {@code raw_sensor_data}
 * @param quality      the file's rejection figures, for its summary
 */
@RegisterForReflection
public record FileSealed(long fileId, String fileName, java.nio.file.Path path, long rowsTotal, long rowsQuarantined, long rowsExpected,
        long startNanos, QualitySummary quality, boolean discarded) {
}
