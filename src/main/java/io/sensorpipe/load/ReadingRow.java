package io.sensorpipe.load;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import io.sensorpipe.records.SensorReading;

/**
 * A row of {@code reading}: its columns, in COPY's text format (written digit by digit rather than by
 * {@code Double.toString}, measured to pay: docs/performance.md) and as the parameters of an {@code INSERT}.
 */
final class ReadingRow {

    static final String COLUMNS = "file_id, line_number, site_id, measured_at,"
            + " pressure_hpa, temperature_c, humidity_pct, pm10_ugm3, pm25_ugm3";

    private ReadingRow() {
    }

    /** One row in COPY's text format: tab-separated, {@code \N} for null; every column is a number or a timestamp. */
    static void copyRow(StringBuilder text, SensorReading r, long siteId) {
        text.append(r.fileId()).append('\t').append(r.line()).append('\t').append(siteId);
        timestamp(text.append('\t'), r.measuredAt());
        fixed(text, r.pressureHpa(), SensorReading.PRESSURE_DECIMALS);
        fixed(text, r.temperatureC(), SensorReading.READING_DECIMALS);
        fixed(text, r.humidityPct(), SensorReading.READING_DECIMALS);
        fixed(text, r.pm10Ugm3(), SensorReading.READING_DECIMALS);
        fixed(text, r.pm25Ugm3(), SensorReading.READING_DECIMALS);
        text.append('\n');
    }

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /**
     * A reading at its stored precision as plain decimal text ({@code 42.686000}): PostgreSQL reads
     * back the same double, and this costs a fraction of {@code Double.toString}.
     */
    static void fixed(StringBuilder text, Double value, int decimals) {
        text.append('\t');
        if (value == null) {
            text.append("\\N");
            return;
        }
        long scale = POWERS_OF_TEN[decimals];
        long units = Math.round(value * scale);
        if (units < 0) {
            text.append('-');
            units = -units;
        }
        text.append(units / scale).append('.');
        String fraction = Long.toString(units % scale);
        for (int i = fraction.length(); i < decimals; i++) {
            text.append('0');
        }
        text.append(fraction);
    }

    /** {@code yyyy-MM-dd HH:mm:ss.nnnnnnnnnZ}, written digit by digit; other years as {@link Instant#toString}. */
    static void timestamp(StringBuilder text, Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            // PostgreSQL judges these (beyond its range: refused, and quarantined with its reason)
            text.append(instant);
            return;
        }
        text.append(t.getYear()).append('-');
        two(text, t.getMonthValue()).append('-');
        two(text, t.getDayOfMonth()).append(' ');
        two(text, t.getHour()).append(':');
        two(text, t.getMinute()).append(':');
        two(text, t.getSecond());
        if (t.getNano() != 0) {
            String nanos = Integer.toString(t.getNano());
            text.append('.');
            for (int i = nanos.length(); i < 9; i++) {
                text.append('0');
            }
            text.append(nanos);
        }
        text.append('Z');
    }

    private static StringBuilder two(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    static void bind(PreparedStatement ps, SensorReading r, long siteId) throws SQLException {
        ps.setLong(1, r.fileId());
        ps.setLong(2, r.line());
        ps.setLong(3, siteId);
        ps.setObject(4, r.measuredAt().atOffset(ZoneOffset.UTC));
        setDouble(ps, 5, r.pressureHpa());
        setDouble(ps, 6, r.temperatureC());
        setDouble(ps, 7, r.humidityPct());
        setDouble(ps, 8, r.pm10Ugm3());
        setDouble(ps, 9, r.pm25Ugm3());
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }
}
