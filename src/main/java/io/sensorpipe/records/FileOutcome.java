package io.sensorpipe.records;

import java.nio.file.Path;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What became of a file at the end of its read or its load, and where it goes: the routes choose on
 * the verdict and move the file as a step of their own.
 *
 * @param verdict     {@link Verdict#LOADED} or {@link Verdict#QUARANTINED} when this outcome finished the
 *                    file; {@link Verdict#UNCHANGED} when it was finished already (by another read, say)
 * @param destination where the file goes: {@code data/.done/…} or {@code quarantine/…}; null when unchanged
 * @param message     the line the route logs
 * @param event       the file's {@code LOADED} or {@code QUARANTINED} event, when this outcome finished it
 */
@RegisterForReflection
public record FileOutcome(Verdict verdict, FileSealed sealed, Path destination, String message, FileEvent event) {

    /** Where a file goes. */
    public enum Verdict {
        /** Every row loaded or quarantined: the file goes to {@code data/.done/}. */
        LOADED,
        /** Quarantined whole: the file goes to {@code quarantine/}. */
        QUARANTINED,
        /** Nothing changed: the file was finished meanwhile, elsewhere. */
        UNCHANGED
    }

    /** An outcome that changes nothing. */
    public static FileOutcome unchanged(FileSealed sealed, String message) {
        return new FileOutcome(Verdict.UNCHANGED, sealed, null, message, null);
    }

    /** The input file, where it lies until it is moved. */
    public Path path() {
        return sealed.path();
    }
}
