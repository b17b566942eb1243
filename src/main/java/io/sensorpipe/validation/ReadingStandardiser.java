package io.sensorpipe.validation;

import java.math.BigDecimal;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.sources.Field;
import io.sensorpipe.sources.Source;
import io.sensorpipe.sources.Units.Conversion;

/**
 * Turns a valid {@link SensorRow} into a {@link SensorReading}: each reading converted from the unit
 * its source writes to the stored unit by the exact conversion (Pa to hPa, °F to °C) and rounded
 * half up to its quantity's decimals, which removes float noise such as {@code 23.273000000000003};
 * timestamps to UTC. Its values are placed by the catalogue's quantities (a source's slots after the
 * {@link Field}s), absent ones {@code NaN}.
 */
@Singleton
@Named("readingStandardiser")
public class ReadingStandardiser {

    public SensorReading standardise(@Body SensorRow row, @ExchangeProperty(ExchangeProperties.FILE_INTAKE) FileIntake intake,
            @ExchangeProperty(ExchangeProperties.CSV_LAYOUT) CsvLayout layout,
            @ExchangeProperty(ExchangeProperties.CSV_LINE_NUMBER) long line, @ExchangeProperty(ExchangeProperties.CSV_LINE_RAW) String raw) {
        return standardise(row, intake.fileId(), intake.fileName(), line, raw);
    }

    /** The reading of a valid row of line {@code line} of the file {@code fileId}, named {@code fileName}. */
    public SensorReading standardise(SensorRow row, long fileId, String fileName, long line, String raw) {
        String location = row.value(Field.LOCATION);
        Source source = row.source();
        double[] values = new double[source.slots() - Field.count()];
        for (int q = 0; q < values.length; q++) {
            Double value = stored(row, Field.count() + q);
            values[q] = value == null ? Double.NaN : value;
        }
        return new SensorReading(
                fileId,
                line,
                fileName,
                source.name(),
                Long.parseLong(row.value(Field.SENSOR_ID)),
                location == null || location.isBlank() ? null : Long.valueOf(location),
                stored(row, Field.LAT.ordinal()),
                stored(row, Field.LON.ordinal()),
                row.timestamp() != null ? row.timestamp() : source.timestamp().parse(row.value(Field.TIMESTAMP)),
                values,
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

    private static Double stored(SensorRow row, int slot) {
        String text = row.valueAt(slot);
        if (text == null || text.isBlank()) {
            return null;
        }
        Source source = row.source();
        if (source.dialect().decimalComma()) {
            text = text.replace(',', '.');
        }
        int decimals = source.decimals(slot);
        int shift = source.decimalShift(slot);
        if (shift == 0 && !Double.isNaN(row.parsedAt(slot)) && fractionDigitsAtMost(text, decimals)) {
            // Nothing to round: the validator's value is already the nearest double to the text.
            return row.parsedAt(slot) + 0.0;
        }
        if (shift >= 0) {
            // A conversion by 10^-k only moves the decimal point, and rounding half up only looks at the
            // first digit dropped: no BigDecimal needed for plain decimal text.
            double moved = PlainDecimal.rounded(text, shift, decimals);
            if (!Double.isNaN(moved)) {
                return moved + 0.0;
            }
        }
        Conversion conversion = source.conversion(slot);
        return conversion.apply(new BigDecimal(text), decimals).doubleValue() + 0.0;
    }
}
