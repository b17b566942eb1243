package io.sensorpipe.load;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The rows of one file that one JDBC batch inserted for the first time (rows already present are
 * left out, so a redelivered row never reaches the metrics twice).
 */
@RegisterForReflection
public record LoadedSlice(long fileId, List<SensorReading> readings) {
}
