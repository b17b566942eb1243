package io.sensorpipe.validation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.sensorpipe.intake.CsvLayout;
import io.sensorpipe.intake.CsvLine;
import io.sensorpipe.intake.HeaderInspector;

/** Maps a CSV record onto a {@link SensorRow} by the file's header. */
@ApplicationScoped
@Named("rowMapper")
public class RowMapper {

    public SensorRow toRow(@Body CsvLine line, @ExchangeProperty(HeaderInspector.LAYOUT) CsvLayout layout) {
        SensorRow row = new SensorRow();
        row.setSensorId(field(line, layout, "sensor_id"));
        row.setLocation(field(line, layout, "location"));
        row.setLat(field(line, layout, "lat"));
        row.setLon(field(line, layout, "lon"));
        row.setTimestamp(field(line, layout, "timestamp"));
        row.setPressure(field(line, layout, "pressure"));
        row.setTemperature(field(line, layout, "temperature"));
        row.setHumidity(field(line, layout, "humidity"));
        row.setP1(field(line, layout, "P1"));
        row.setP2(field(line, layout, "P2"));
        row.setColumnCount(fieldCount(line, layout.columnCount()));
        row.setExpectedColumnCount(layout.columnCount());
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

    private static String field(CsvLine line, CsvLayout layout, String column) {
        String value = line.value(layout.indexOf(column));
        return value == null ? null : value.trim();
    }
}
