package io.sensorpipe.validation;

import java.util.Locale;

/** Names of the rules a row can break, as written in the quarantine reports. */
public enum Rule {
    /** A required field is blank. */
    REQUIRED,
    /** A reading is not a finite decimal number. */
    NUMERIC,
    /** A reading is outside its plausible range. */
    RANGE,
    /** An identifier is not a whole number. */
    INTEGER,
    /** A timestamp is not ISO-8601 or names an impossible date. */
    TIMESTAMP,
    /** The row has another number of fields than the header. */
    COLUMNS,
    /** The row could not be checked at all. */
    UNREADABLE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
