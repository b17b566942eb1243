package io.sensorpipe.intake;

/** The file as a whole cannot be ingested (unknown header, not text, empty): it goes to quarantine whole. */
public class UnreadableFileException extends RuntimeException {

    public UnreadableFileException(String message) {
        super(message);
    }

    public UnreadableFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
