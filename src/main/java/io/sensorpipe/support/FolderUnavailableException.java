package io.sensorpipe.support;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A folder the pipeline writes to (the quarantine folder, {@code data/.done}) cannot be written: it
 * is missing and cannot be created, is not a directory, or is full. Transient: the work waits until
 * the folder is writable again, and readiness says why.
 */
public class FolderUnavailableException extends IOException {

    public FolderUnavailableException(Path folder, String why, Throwable cause) {
        super(folder + " cannot be written: " + why, cause);
    }
}
