package io.sensorpipe.metrics;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the metrics writer did with a completed aggregate.
 *
 * @param waiting whether the database did not yet hold every row of the file: the file is rechecked
 * @param message the line the route logs
 */
@RegisterForReflection
public record FileOutcome(FileSealed sealed, boolean waiting, String message) {

    /** The message that sends the file back to the aggregator to wait for its remaining rows. */
    public Recheck recheck() {
        return new Recheck(sealed);
    }
}
