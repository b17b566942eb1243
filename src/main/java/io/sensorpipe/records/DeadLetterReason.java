package io.sensorpipe.records;

import java.util.Locale;

/** Why a record of the readings topic was dead-lettered: the {@code reason} of the dead-letter metric and headers. */
public enum DeadLetterReason {
    /** The value is not a readings chunk at all (another producer, a format of another version). */
    NOT_OUR_FORMAT,
    /** A readings chunk that is truncated or has a field out of place. */
    MALFORMED,
    /** The value's bytes are not UTF-8. */
    BAD_ENCODING,
    /** A chunk of a file id that {@code ingest_file} does not know. */
    UNKNOWN_FILE,
    /** The record decodes but loading it alone failed for a reason that retrying did not cure. */
    LOAD_FAILED;

    /** {@code not-our-format}, as in the metric's tag and the record headers. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
