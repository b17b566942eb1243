package io.sensorpipe.records;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Sent by {@code csv-intake} once a file has been read to its end (as a record of the readings topic,
 * {@link SealRecord}, behind the file's chunks): how many of its rows the loader must have committed.
 * A discarded file (quarantined whole) completes at once and gets no metrics.
 *
 * @param path         where the input file is, until it leaves the data folder
 * @param rowsExpected rows handed to Kafka, i.e. rows that will reach {@code reading}
 * @param startedAt    when the instance that read the file detected it (epoch milliseconds)
 * @param quality      the file's rejection figures, for its summary
 */
@RegisterForReflection
public record FileSealed(long fileId, String fileName, java.nio.file.Path path, long rowsTotal, long rowsQuarantined, long rowsExpected,
        long startedAt, QualitySummary quality, boolean discarded) {
}
