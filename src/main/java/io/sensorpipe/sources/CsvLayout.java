package io.sensorpipe.sources;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A file's source, and where each stored field sits in it, read from its header and its name.
 *
 * @param source      the configured source the file belongs to
 * @param headerLine  the header as written (without a byte-order mark)
 * @param headerEnding the header's line terminator as written ({@code \r\n}, {@code \n}, {@code \r}; {@code \n}
 *                    for a file of a header alone)
 * @param header      the header fields
 * @param fieldAt     by position in {@link io.sensorpipe.sources.Field}: the column holding the field
 *                    (the date's, for a timestamp in two columns), or -1
 * @param timeAt      the time's column when the timestamp is a date and a time; -1 otherwise
 * @param fixed       by position in {@link io.sensorpipe.sources.Field}: the value of a field that comes
 *                    from a constant or from the file's name, or null
 */
@RegisterForReflection
public record CsvLayout(Source source, String headerLine, String headerEnding, List<String> header, int[] fieldAt,
        int timeAt, String[] fixed) {

    public int columnCount() {
        return header.size();
    }
}
