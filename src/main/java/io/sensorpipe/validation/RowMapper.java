package io.sensorpipe.validation;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.sensorpipe.records.CsvLine;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.sources.Field;
import io.sensorpipe.sources.Source;

/**
 * Maps a CSV record onto a {@link SensorRow} by the file's layout: each field from its column, its
 * constant or the file's name; a date and a time joined by a space; a reading the source writes as
 * "missing" ({@code -200}, {@code NA}) left out, as a blank one is.
 */
@Singleton
@Named("rowMapper")
public class RowMapper {

    private static final int TIMESTAMP = Field.TIMESTAMP.ordinal();

    public SensorRow toRow(@Body CsvLine line, @ExchangeProperty(ExchangeProperties.CSV_LAYOUT) CsvLayout layout) {
        Source source = layout.source();
        SensorRow row = new SensorRow(source, fieldCount(line, layout.columnCount()), layout.columnCount());
        int[] fieldAt = layout.fieldAt();
        String[] fixed = layout.fixed();
        for (int slot = 0; slot < fieldAt.length; slot++) {
            if (fieldAt[slot] >= 0) {
                String value = line.value(fieldAt[slot]);
                if (value != null) {
                    value = value.trim();
                    if (slot == TIMESTAMP && layout.timeAt() >= 0) {
                        String time = line.value(layout.timeAt());
                        value = value.isEmpty() || time == null || time.isBlank() ? "" : value + " " + time.trim();
                    } else if (source.isMissing(slot, value)) {
                        value = null;
                    }
                }
                row.putAt(slot, value);
            } else if (fixed[slot] != null) {
                row.putAt(slot, fixed[slot]);
            }
        }
        return row;
    }

    /** Empty fields past the header's last column (a trailing delimiter) do not count. */
    private static int fieldCount(CsvLine line, int expected) {
        if (line.fields() > line.values().size()) {
            return line.fields(); // more than pipeline.limits.max-fields: only the first were kept
        }
        int count = line.values().size();
        while (count > expected && line.values().get(count - 1).isBlank()) {
            count--;
        }
        return count;
    }
}
