package io.sensorpipe.metrics;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Sent back to the metrics aggregator when a file's aggregate completed but the database did not yet
 * hold all its rows: a new aggregate waits for the next slice of the file and is checked again.
 */
@RegisterForReflection
public record Recheck(FileSealed sealed) {
}
