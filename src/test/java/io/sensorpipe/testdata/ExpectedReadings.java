package io.sensorpipe.testdata;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * What {@code raw_sensor_data} must hold for a Sofia-shaped CSV file, worked out from the file's text
 * by the contract of docs/contract.md alone, with no production class: its own CSV reading, its own rules (the
 * default ranges), its own unit conversion and rounding. Used to check every stored value of a file,
 * not only the counts.
 */
public final class ExpectedReadings {

    /** One stored row as the contract says it must be; absent values are null. */
    public record Row(long line, long sensorId, Long locationId, Double lat, Double lon, Instant measuredAt,
            Double pressureHpa, Double temperatureC, Double humidityPct, Double pm10, Double pm25) {
    }

    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?");

    /** Input column, stored unit's power of ten relative to the input, decimals kept, min, max (stored unit). */
    private record Quantity(String column, int shift, int decimals, String min, String max) {
    }

    private static final List<Quantity> QUANTITIES = List.of(
            new Quantity("lat", 0, 6, "-90", "90"),
            new Quantity("lon", 0, 6, "-180", "180"),
            new Quantity("pressure", -2, 4, "300", "1100"),
            new Quantity("temperature", 0, 3, "-50", "50"),
            new Quantity("humidity", 0, 3, "0", "100"),
            new Quantity("p1", 0, 3, "0", "1000"),
            new Quantity("p2", 0, 3, "0", "1000"));

    private ExpectedReadings() {
    }

    /** The file's data rows: its records after the header, blank lines aside. */
    public static long rows(Path csv) throws java.io.IOException {
        List<Record> records = records(csv);
        return records.isEmpty() ? 0 : records.subList(1, records.size()).stream()
                .filter(r -> !(r.fields().size() == 1 && r.fields().get(0).isBlank())).count();
    }

    private static List<Record> records(Path csv) throws java.io.IOException {
        String text = new String(Files.readAllBytes(csv), StandardCharsets.UTF_8);
        return records(text.startsWith("\uFEFF") ? text.substring(1) : text);
    }

    /** The rows the contract accepts, by the physical line each starts on (the header is line 1). */
    public static Map<Long, Row> of(Path csv) throws java.io.IOException {
        List<Record> records = records(csv);
        Map<Long, Row> rows = new TreeMap<>();
        if (records.isEmpty()) {
            return rows;
        }
        List<String> header = new ArrayList<>();
        int skip = 0;
        for (String name : records.get(0).fields()) {
            String column = name.trim().toLowerCase(Locale.ROOT);
            if (header.isEmpty() && (column.isEmpty() || column.equals("unnamed: 0"))) {
                skip++;
            } else {
                header.add(column);
            }
        }
        while (!header.isEmpty() && header.get(header.size() - 1).isEmpty()) {
            header.remove(header.size() - 1); // a trailing empty field
        }
        for (Record record : records.subList(1, records.size())) {
            List<String> fields = record.fields();
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue; // a blank line
            }
            Row row = row(header, skip, fields, record.line());
            if (row != null) {
                rows.put(row.line(), row);
            }
        }
        return rows;
    }

    /** The row the contract stores for these fields, or null where it rejects them. */
    private static Row row(List<String> header, int skip, List<String> all, long line) {
        List<String> fields = new ArrayList<>(all);
        while (fields.size() > skip + header.size() && fields.get(fields.size() - 1).isEmpty()) {
            fields.remove(fields.size() - 1);
        }
        if (fields.size() != skip + header.size()) {
            return null;
        }
        Map<String, String> value = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            value.put(header.get(i), fields.get(skip + i));
        }
        String sensor = value.getOrDefault("sensor_id", "");
        String location = value.getOrDefault("location", "");
        String timestamp = value.getOrDefault("timestamp", "");
        if (!WHOLE.matcher(sensor).matches() || !(location.isEmpty() || WHOLE.matcher(location).matches())) {
            return null;
        }
        Instant measuredAt = instant(timestamp);
        if (measuredAt == null) {
            return null;
        }
        Map<String, Double> stored = new LinkedHashMap<>();
        for (Quantity q : QUANTITIES) {
            String text = value.getOrDefault(q.column(), "");
            if (text.isEmpty()) {
                stored.put(q.column(), null);
                continue;
            }
            if (!DECIMAL.matcher(text).matches() || Double.isInfinite(Double.parseDouble(text))) {
                return null;
            }
            BigDecimal converted = new BigDecimal(text).scaleByPowerOfTen(q.shift());
            if (converted.compareTo(new BigDecimal(q.min())) < 0 || converted.compareTo(new BigDecimal(q.max())) > 0) {
                return null;
            }
            stored.put(q.column(), converted.setScale(q.decimals(), RoundingMode.HALF_UP).doubleValue());
        }
        return new Row(line, Long.parseLong(sensor.replace("+", "")),
                location.isEmpty() ? null : Long.valueOf(location.replace("+", "")), stored.get("lat"),
                stored.get("lon"), measuredAt, stored.get("pressure"), stored.get("temperature"),
                stored.get("humidity"), stored.get("p1"), stored.get("p2"));
    }

    /** ISO-8601 with an offset, or without one meaning UTC; impossible dates are not dates. */
    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private record Record(long line, List<String> fields) {
    }

    /** RFC 4180 records (quoted fields may span lines), each with the physical line it starts on. */
    private static List<Record> records(String text) {
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        long line = 1;
        long start = 1;
        boolean quoted = false;
        boolean atFieldStart = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    line += c == '\n' ? 1 : 0;
                    field.append(c);
                }
            } else if (c == '"' && atFieldStart) {
                quoted = true;
                atFieldStart = false;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                atFieldStart = true;
            } else if (c == '\n' || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n')) {
                i += c == '\r' ? 1 : 0;
                fields.add(field.toString());
                records.add(new Record(start, List.copyOf(fields)));
                fields.clear();
                field.setLength(0);
                atFieldStart = true;
                start = ++line;
            } else {
                field.append(c);
                atFieldStart = false;
            }
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(new Record(start, List.copyOf(fields)));
        }
        return records;
    }

    /**
     * Every difference between what the database holds for the file and what the contract says it
     * must hold: rows missing, rows too many, and each stored value that differs (compared exactly,
     * so a {@code -0} kept or float noise left over is a difference).
     */
    public static List<String> differences(DataSource dataSource, long fileId, Path csv) throws Exception {
        Map<Long, Row> expected = of(csv);
        Map<Long, Row> stored = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT line_number, sensor_id, location_id, lat, lon, measured_at, pressure_hpa, temperature_c,"
                        + " humidity_pct, pm10_ugm3, pm25_ugm3 FROM raw_sensor_data WHERE file_id = ?")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getLong(1), new Row(rs.getLong(1), rs.getLong(2), rs.getObject(3, Long.class),
                            number(rs, 4), number(rs, 5), rs.getObject(6, OffsetDateTime.class).toInstant(),
                            number(rs, 7), number(rs, 8), number(rs, 9), number(rs, 10), number(rs, 11)));
                }
            }
        }
        List<String> differences = new ArrayList<>();
        TreeSet<Long> lines = new TreeSet<>(expected.keySet());
        lines.addAll(stored.keySet());
        for (long line : lines) {
            Row want = expected.get(line);
            Row have = stored.get(line);
            if (!Objects.equals(want, have)) {
                differences.add("line " + line + ": expected " + want + ", stored " + have);
            }
            if (differences.size() == 20) {
                differences.add("…");
                break;
            }
        }
        return differences;
    }

    private static Double number(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
