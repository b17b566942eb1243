package io.sensorpipe.records;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One CSV record with where it came from.
 *
 * @param lineNumber physical line the record starts on (the header is line 1)
 * @param raw        the record's text as it is in the file, without the line terminator
 * @param values     the record's fields as parsed, quotes removed (the first {@code pipeline.limits.max-fields}
 *                   of a longer record)
 * @param fields     how many fields the record has
 * @param ending     the line terminator as written ({@code \r\n}, {@code \n}, {@code \r}); empty when the
 *                   file ends without one or it is not known
 */
@RegisterForReflection
public record CsvLine(long lineNumber, String raw, List<String> values, int fields, String ending) {

    public CsvLine(long lineNumber, String raw, List<String> values) {
        this(lineNumber, raw, values, values.size(), "");
    }

    /** A blank line parses to one empty field. */
    public boolean isBlank() {
        return values.isEmpty() || (values.size() == 1 && values.get(0).isBlank());
    }

    /** Every field is empty or spaces: a row of delimiters only. */
    public boolean isAllEmpty() {
        for (String value : values) {
            if (!value.isBlank()) {
                return false;
            }
        }
        return true;
    }

    public String value(int index) {
        return index >= 0 && index < values.size() ? values.get(index) : null;
    }
}
