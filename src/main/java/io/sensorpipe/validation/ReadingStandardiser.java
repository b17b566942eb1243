package io.sensorpipe.validation;

import java.math.BigDecimal;
import java.math.RoundingMode;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.sensorpipe.intake.CsvLayout;
import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.intake.HeaderInspector;
import io.sensorpipe.load.SensorReading;

/**
 * Turns a valid {@link SensorRow} into a {@link SensorReading}: pressure from Pa to hPa (an exact
 * decimal shift), coordinates rounded to 6 decimals (about 0.1 m, which removes float noise such as
 * {@code 23.273000000000003}), timestamps to UTC.
 */
@ApplicationScoped
@Named("readingStandardiser")
public class ReadingStandardiser {

    private static final int COORDINATE_SCALE = 6;

    public SensorReading standardise(@Body SensorRow row, @ExchangeProperty(FileIntake.PROPERTY) FileIntake intake,
            @ExchangeProperty(HeaderInspector.LAYOUT) CsvLayout layout,
            @ExchangeProperty(FileIntake.LINE) long line) {
        return new SensorReading(
                intake.fileId(),
                line,
                intake.fileName(),
                layout.shape().tag(),
                Long.parseLong(row.getSensorId()),
                blank(row.getLocation()) ? null : Long.valueOf(row.getLocation()),
                rounded(row.getLat(), COORDINATE_SCALE),
                rounded(row.getLon(), COORDINATE_SCALE),
                Timestamps.parseUtc(row.getTimestamp()),
                blank(row.getPressure()) ? null : new BigDecimal(row.getPressure()).movePointLeft(2).doubleValue(),
                number(row.getTemperature()),
                number(row.getHumidity()),
                number(row.getP1()),
                number(row.getP2()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Double number(String s) {
        return blank(s) ? null : Double.valueOf(s);
    }

    private static Double rounded(String s, int scale) {
        return blank(s) ? null : new BigDecimal(s).setScale(scale, RoundingMode.HALF_UP).doubleValue();
    }
}
