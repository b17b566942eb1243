package io.sensorpipe.load;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.sensorpipe.records.SensorReading;
import io.sensorpipe.sources.Quantity;

/**
 * A row of {@code reading} as this configuration stores it: its key columns, then a column per quantity
 * declared with a {@code reading-column}, in the catalogue's order; in COPY's text format (written digit
 * by digit rather than by {@code Double.toString}, measured to pay: docs/performance.md) and as the
 * parameters of an {@code INSERT}.
 */
final class ReadingRow {

    private final String columns;
    private final String placeholders;
    /** Per column after the key columns, the position of its quantity and the decimals it keeps. */
    private final int[] quantity;
    private final int[] decimals;

    ReadingRow(List<Quantity> quantities) {
        List<String> names = new ArrayList<>(List.of("file_id", "line_number", "site_id", "measured_at"));
        List<Integer> positions = new ArrayList<>();
        for (int q = 0; q < quantities.size(); q++) {
            if (quantities.get(q).readingColumn() != null) {
                names.add(quantities.get(q).readingColumn());
                positions.add(q);
            }
        }
        columns = String.join(", ", names);
        placeholders = String.join(", ", Collections.nCopies(names.size(), "?"));
        quantity = positions.stream().mapToInt(Integer::intValue).toArray();
        decimals = positions.stream().mapToInt(q -> quantities.get(q).decimals()).toArray();
    }

    /** The columns a row fills, in order, for a statement's column list. */
    String columns() {
        return columns;
    }

    /** As many {@code ?} as {@link #columns()}, comma-separated. */
    String placeholders() {
        return placeholders;
    }

    /** One row in COPY's text format: tab-separated, {@code \N} for null; every column is a number or a timestamp. */
    void copyRow(StringBuilder text, SensorReading r, long siteId) {
        text.append(r.fileId()).append('\t').append(r.line()).append('\t').append(siteId);
        timestamp(text.append('\t'), r.measuredAt());
        double[] values = r.values();
        for (int i = 0; i < quantity.length; i++) {
            fixed(text, values[quantity[i]], decimals[i]);
        }
        text.append('\n');
    }

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /**
     * A reading at its stored precision as plain decimal text ({@code 42.686000}): PostgreSQL reads
     * back the same double, and this costs a fraction of {@code Double.toString}.
     */
    static void fixed(StringBuilder text, double value, int decimals) {
        text.append('\t');
        if (Double.isNaN(value)) {
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

    void bind(PreparedStatement ps, SensorReading r, long siteId) throws SQLException {
        ps.setLong(1, r.fileId());
        ps.setLong(2, r.line());
        ps.setLong(3, siteId);
        ps.setObject(4, r.measuredAt().atOffset(ZoneOffset.UTC));
        for (int i = 0; i < quantity.length; i++) {
            setDouble(ps, 5 + i, r.values()[quantity[i]]);
        }
    }

    private static void setDouble(PreparedStatement ps, int index, double value) throws SQLException {
        if (Double.isNaN(value)) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }
}
