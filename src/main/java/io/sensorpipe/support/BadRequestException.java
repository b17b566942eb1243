package io.sensorpipe.support;

/** A request the HTTP endpoints refuse with 400 and this message. */
public class BadRequestException extends IllegalArgumentException {

    public BadRequestException(String message) {
        super(message);
    }
}
