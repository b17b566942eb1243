package io.sensorpipe.records;

import io.sensorpipe.records.FileSealed;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sensorpipe.records.FileEvent;

/**
 * What the metrics writer did with a completed aggregate.
 *
 * @param message the line the route logs
 * @param event   the file's {@code LOADED} or {@code QUARANTINED} event, when this outcome finished it
 */
@RegisterForReflection
public record FileOutcome(FileSealed sealed, String message, FileEvent event) {

    public FileOutcome(FileSealed sealed, String message) {
        this(sealed, message, null);
    }
}
