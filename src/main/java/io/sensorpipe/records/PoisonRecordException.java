package io.sensorpipe.records;

/**
 * A record of the readings topic that can never be loaded, whatever the state of the services: it
 * goes to the dead-letter topic instead of being retried.
 */
public class PoisonRecordException extends IllegalArgumentException {

    private final DeadLetterReason reason;

    public PoisonRecordException(DeadLetterReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
