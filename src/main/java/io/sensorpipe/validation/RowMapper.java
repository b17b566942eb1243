package io.sensorpipe.validation;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.sensorpipe.intake.CsvLayout;
import io.sensorpipe.intake.CsvLine;
import io.sensorpipe.intake.HeaderInspector;

/** Maps a CSV record onto a {@link SensorRow} by the file's header. */
@Singleton
@Named("rowMapper")
public class RowMapper {

    private final RuleSet rules;

    public RowMapper(RuleSet rules) {
        this.rules = rules;
    }

    public SensorRow toRow(@Body CsvLine line, @ExchangeProperty(HeaderInspector.LAYOUT) CsvLayout layout) {
        SensorRow row = new SensorRow(rules, fieldCount(line, layout.columnCount()), layout.columnCount());
        for (String column : layout.shape().columns()) {
            String value = line.value(layout.indexOf(column));
            row.put(column, value == null ? null : value.trim());
        }
        return row;
    }

    /** Empty fields past the header's last column (a trailing comma) do not count. */
    private static int fieldCount(CsvLine line, int expected) {
        int count = line.values().size();
        while (count > expected && line.values().get(count - 1).isBlank()) {
            count--;
        }
        return count;
    }
}
