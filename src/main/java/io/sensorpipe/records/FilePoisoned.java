package io.sensorpipe.records;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Sent by the loader when a record of a file could not be loaded and went to the dead-letter topic:
 * the file is quarantined and will not complete. Its aggregate completes once the file is sealed.
 */
@RegisterForReflection
public record FilePoisoned(long fileId, String reason) {
}
