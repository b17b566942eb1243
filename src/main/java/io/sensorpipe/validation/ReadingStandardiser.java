package io.sensorpipe.validation;

import java.math.BigDecimal;
import java.math.RoundingMode;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.sensorpipe.intake.CsvLayout;
import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.intake.HeaderInspector;
import io.sensorpipe.records.SensorReading;

/**
 * Turns a valid {@link SensorRow} into a {@link SensorReading}: each reading converted to its stored
 * unit by the rule's exact decimal scale (Pa to hPa) and rounded to its column's precision, which
 * removes float noise such as {@code 23.273000000000003}; timestamps to UTC.
 */
@Singleton
@Named("readingStandardiser")
public class ReadingStandardiser {


    public SensorReading standardise(@Body SensorRow row, @ExchangeProperty(FileIntake.PROPERTY) FileIntake intake,
            @ExchangeProperty(HeaderInspector.LAYOUT) CsvLayout layout,
            @ExchangeProperty(FileIntake.LINE) long line, @ExchangeProperty(FileIntake.RAW) String raw) {
        String location = row.value("location");
        return new SensorReading(
                intake.fileId(),
                line,
                intake.fileName(),
                layout.shape().tag(),
                Long.parseLong(row.value("sensor_id")),
                location == null || location.isBlank() ? null : Long.valueOf(location),
                stored(row, "lat", SensorReading.COORDINATE_DECIMALS),
                stored(row, "lon", SensorReading.COORDINATE_DECIMALS),
                row.timestamp() != null ? row.timestamp() : row.rules().parseTimestamp(row.value("timestamp")),
                stored(row, "pressure", SensorReading.PRESSURE_DECIMALS),
                stored(row, "temperature", SensorReading.READING_DECIMALS),
                stored(row, "humidity", SensorReading.READING_DECIMALS),
                stored(row, "P1", SensorReading.READING_DECIMALS),
                stored(row, "P2", SensorReading.READING_DECIMALS),
                raw);
    }

    /** Plain decimal notation ({@code -12.345}, no exponent) with at most {@code decimals} fraction digits. */
    static boolean fractionDigitsAtMost(String text, int decimals) {
        int start = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        int point = -1;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' && point < 0) {
                point = i;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return text.length() > start && (point < 0 || text.length() - point - 1 <= decimals);
    }

    private static Double stored(SensorRow row, String column, int decimals) {
        int slot = SensorRow.slot(column);
        String text = row.valueAt(slot);
        if (text == null || text.isBlank()) {
            return null;
        }
        int shift = row.rules().decimalShift(slot);
        if (shift == 0 && !Double.isNaN(row.parsedAt(slot)) && fractionDigitsAtMost(text, decimals)) {
            // Nothing to round: the validator's value is already the nearest double to the text.
            return row.parsedAt(slot) + 0.0;
        }
        if (shift >= 0) {
            // A scale of 10^-k only moves the decimal point, and rounding half up only looks at the
            // first digit dropped: no BigDecimal needed for plain decimal text.
            double moved = PlainDecimal.rounded(text, shift, decimals);
            if (!Double.isNaN(moved)) {
                return moved + 0.0;
            }
        }
        BigDecimal value = new BigDecimal(text);
        double scale = row.rules().range(slot).scale();
        if (scale != 1.0) {
            value = value.multiply(BigDecimal.valueOf(scale));
        }
        return value.setScale(decimals, RoundingMode.HALF_UP).doubleValue() + 0.0;
    }
}
