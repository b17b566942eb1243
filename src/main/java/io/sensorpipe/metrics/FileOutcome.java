package io.sensorpipe.metrics;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sensorpipe.ops.FileEvent;

/**
 * What the metrics writer did with a completed aggregate.
 *
 * @param waiting whether the database did not yet hold every row of the file: the file is rechecked
 * @param message the line the route logs
 * @param event   the file's {@code LOADED} event, when this outcome loaded it
 */
@RegisterForReflection
public record FileOutcome(FileSealed sealed, boolean waiting, String message, FileEvent event) {

    public FileOutcome(FileSealed sealed, boolean waiting, String message) {
        this(sealed, waiting, message, null);
    }

    /** The message that sends the file back to the aggregator to wait for its remaining rows. */
    public Recheck recheck() {
        return new Recheck(sealed);
    }
}
