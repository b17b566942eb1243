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
    private volatile Fields lastLayout;

    public RowMapper(RuleSet rules) {
        this.rules = rules;
    }

    public SensorRow toRow(@Body CsvLine line, @ExchangeProperty(HeaderInspector.LAYOUT) CsvLayout layout) {
        SensorRow row = new SensorRow(rules, fieldCount(line, layout.columnCount()), layout.columnCount());
        int[] fieldAt = fieldsBySlot(layout);
        for (int slot = 0; slot < fieldAt.length; slot++) {
            if (fieldAt[slot] >= 0) {
                String value = line.value(fieldAt[slot]);
                row.putAt(slot, value == null ? null : value.trim());
            }
        }
        return row;
    }

    /** Where a layout's file has each column, by position in {@link RuleSet#COLUMNS}; -1 for none. */
    private int[] fieldsBySlot(CsvLayout layout) {
        Fields last = lastLayout;
        if (last == null || last.layout() != layout) {
            int[] fieldAt = new int[RuleSet.COLUMNS.size()];
            java.util.Arrays.fill(fieldAt, -1);
            for (String column : layout.shape().columns()) {
                fieldAt[SensorRow.slot(column)] = layout.indexOf(column);
            }
            lastLayout = last = new Fields(layout, fieldAt);
        }
        return last.fieldAt();
    }

    /** The positions for the layout of the file being read (files are read one at a time). */
    private record Fields(CsvLayout layout, int[] fieldAt) {
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
