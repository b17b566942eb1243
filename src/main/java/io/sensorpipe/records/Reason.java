package io.sensorpipe.records;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import io.sensorpipe.validation.Rule;

/**
 * Why a row was rejected: one broken rule on one field, as written to the quarantine report.
 *
 * @param field    the CSV column (or {@code columns} for the row's shape)
 * @param rule     the rule's id, see {@link Rule}
 * @param expected what the rule wants, e.g. {@code -50..50 C}
 * @param actual   the offending value as read
 * @param message  what is wrong, for a person
 */
@RegisterForReflection
@JsonPropertyOrder({ "field", "rule", "expected", "actual", "value", "message" })
public record Reason(String field, String rule, String expected, String actual, String message) {

    /** Longest {@code actual} (and {@code value}) and {@code message} in a report; {@code raw} has the cell whole. */
    public static final int MAX_CHARS = 200;

    public Reason {
        actual = cut(actual);
        message = cut(message);
    }

    /** The text, or its first {@value #MAX_CHARS} characters and how long it was. */
    static String cut(String text) {
        if (text == null || text.length() <= MAX_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return text.substring(0, end) + "… [truncated: " + text.length() + " characters]";
    }

    /** The offending value under its earlier name, kept for readers of the first report format. */
    @JsonProperty("value")
    public String value() {
        return actual;
    }
}
