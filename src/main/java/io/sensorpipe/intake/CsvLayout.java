package io.sensorpipe.intake;

import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where each known column sits in a file, read from its header.
 *
 * @param shape        which set of columns the header names
 * @param headerLine   the first line as written (without a byte-order mark)
 * @param header       the header fields
 * @param columnIndex  position of each named column of the shape
 */
@RegisterForReflection
public record CsvLayout(Shape shape, String headerLine, List<String> header, Map<String, Integer> columnIndex) {

    public int columnCount() {
        return header.size();
    }

    /** Position of a column, or -1 when this shape has no such column. */
    public int indexOf(String column) {
        return columnIndex.getOrDefault(column, -1);
    }
}
