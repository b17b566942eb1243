package io.sensorpipe.records;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one JDBC batch did with the rows of one file.
 *
 * @param readings    rows the batch inserted for the first time (rows already present are left out, so
 *                    a redelivered row never reaches the metrics twice)
 * @param rowsRefused rows PostgreSQL refused for the first time, now in {@code refused_row}
 * @param rowsSeen    all rows of the file in the batch, including redelivered ones
 */
@RegisterForReflection
public record LoadedSlice(long fileId, List<SensorReading> readings, int rowsRefused, int rowsSeen) {
}
