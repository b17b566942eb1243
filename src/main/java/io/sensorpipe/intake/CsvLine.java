package io.sensorpipe.intake;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One CSV record with its physical line number (the header is line 1).
 *
 * @param lineNumber physical line of the record in its file
 * @param values     the record's fields as parsed, quotes removed
 */
@RegisterForReflection
public record CsvLine(long lineNumber, List<String> values) {

    /** A blank line parses to one empty field. */
    public boolean isBlank() {
        return values.isEmpty() || (values.size() == 1 && values.get(0).isBlank());
    }

    public String value(int index) {
        return index >= 0 && index < values.size() ? values.get(index) : null;
    }
}
