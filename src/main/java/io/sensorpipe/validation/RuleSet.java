package io.sensorpipe.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sensorpipe.PipelineConfig;

/**
 * The rules rows are checked against, read from configuration ({@code pipeline.rules.*}) and checked
 * once at start-up: a rule that makes no sense stops the application with every problem listed.
 */
public final class RuleSet {

    /** Every column a row can have, in report order. */
    public static final List<String> COLUMNS = List.of("sensor_id", "location", "lat", "lon", "timestamp", "pressure",
            "temperature", "humidity", "P1", "P2");
    /** Columns holding whole-number identifiers. */
    public static final Set<String> IDENTIFIERS = Set.of("sensor_id", "location");
    /** Columns holding decimal readings, each needing a range. */
    public static final Set<String> NUMERIC = Set.of("lat", "lon", "pressure", "temperature", "humidity", "P1", "P2");

    /** A plausible range, in the stored unit, and the factor from the input unit to it. */
    public record Range(double min, double max, double scale, String unit) {
        public String expected() {
            return number(min) + ".." + number(max) + (unit.isEmpty() ? "" : " " + unit);
        }

        public boolean contains(double stored) {
            return stored >= min && stored <= max;
        }
    }

    private final String version;
    private final Set<String> required;
    private final List<String> timestampFormats;
    private final List<DateTimeFormatter> patterns;
    private final Map<String, Range> ranges;
    /** The same, by position in {@link #COLUMNS}: looked up for every field of every row. */
    private final boolean[] requiredAt = new boolean[COLUMNS.size()];
    private final Range[] rangeAt = new Range[COLUMNS.size()];
    private final int[] decimalShiftAt = new int[COLUMNS.size()];

    private RuleSet(String version, Set<String> required, List<String> timestampFormats, Map<String, Range> ranges) {
        this.version = version;
        this.required = required;
        this.timestampFormats = timestampFormats;
        this.ranges = ranges;
        for (int i = 0; i < COLUMNS.size(); i++) {
            requiredAt[i] = required.contains(COLUMNS.get(i));
            rangeAt[i] = ranges.get(COLUMNS.get(i));
            decimalShiftAt[i] = rangeAt[i] == null ? -1 : decimalShiftOf(rangeAt[i].scale());
        }
        this.patterns = new ArrayList<>();
        for (String format : timestampFormats) {
            patterns.add(format.equals("ISO") ? DateTimeFormatter.ISO_DATE_TIME
                    // STRICT refuses 2017-02-30; it needs the proleptic year 'u' instead of year-of-era 'y'.
                    : DateTimeFormatter.ofPattern(format.replace('y', 'u')).withResolverStyle(ResolverStyle.STRICT));
        }
    }

    /** Builds and checks the rules; throws {@link IllegalArgumentException} naming every bad rule. */
    public static RuleSet from(PipelineConfig.Rules rules) {
        List<String> problems = new ArrayList<>();
        if (rules.version().isBlank()) {
            problems.add("pipeline.rules.version is blank");
        }
        Set<String> required = new LinkedHashSet<>();
        for (String column : rules.required()) {
            if (!COLUMNS.contains(column.trim())) {
                problems.add("pipeline.rules.required names unknown column '" + column + "' (known: " + COLUMNS + ")");
            }
            required.add(column.trim());
        }
        for (String format : rules.timestampFormats()) {
            if (!format.equals("ISO")) {
                try {
                    DateTimeFormatter.ofPattern(format);
                } catch (IllegalArgumentException e) {
                    problems.add("pipeline.rules.timestamp-formats: '" + format + "' is not a date-time pattern: "
                            + e.getMessage());
                }
            }
        }
        Map<String, Range> ranges = new LinkedHashMap<>();
        for (Map.Entry<String, PipelineConfig.Rules.Range> e : rules.range().entrySet()) {
            String key = "pipeline.rules.range." + e.getKey();
            PipelineConfig.Rules.Range r = e.getValue();
            if (!NUMERIC.contains(e.getKey())) {
                problems.add(key + ": '" + e.getKey() + "' is not a numeric column (known: " + NUMERIC + ")");
            }
            if (!Double.isFinite(r.min()) || !Double.isFinite(r.max()) || r.min() > r.max()) {
                problems.add(key + ": min " + r.min() + " must be a number not above max " + r.max());
            }
            if (!(r.scale() > 0) || !Double.isFinite(r.scale())) {
                problems.add(key + ".scale must be a positive number, not " + r.scale());
            }
            ranges.put(e.getKey(), new Range(r.min(), r.max(), r.scale(), r.unit().orElse("")));
        }
        for (String column : NUMERIC) {
            if (!ranges.containsKey(column)) {
                problems.add("pipeline.rules.range." + column + " is missing: every numeric column needs min and max");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid validation rules (" + problems.size() + "): "
                    + String.join("; ", problems));
        }
        return new RuleSet(rules.version(), Set.copyOf(required), List.copyOf(rules.timestampFormats()),
                Map.copyOf(ranges));
    }

    public String version() {
        return version;
    }

    public boolean isRequired(String column) {
        return required.contains(column);
    }

    public Range range(String column) {
        return ranges.get(column);
    }

    /** Whether the column at this position of {@link #COLUMNS} is required. */
    public boolean isRequired(int slot) {
        return requiredAt[slot];
    }

    /** The range of the column at this position of {@link #COLUMNS}; null for a non-numeric column. */
    public Range range(int slot) {
        return rangeAt[slot];
    }

    /**
     * k when the column's scale is exactly 10^-k (1 gives 0, 0.01 gives 2), so that converting is moving
     * the decimal point; -1 for any other scale, or a non-numeric column.
     */
    public int decimalShift(int slot) {
        return decimalShiftAt[slot];
    }

    static int decimalShiftOf(double scale) {
        BigDecimal exact = BigDecimal.valueOf(scale).stripTrailingZeros();
        return exact.unscaledValue().equals(BigInteger.ONE) && exact.scale() >= 0 ? exact.scale() : -1;
    }

    public String timestampExpected() {
        return timestampFormats.equals(List.of("ISO")) ? "ISO-8601 date-time"
                : "date-time as " + String.join(" or ", timestampFormats);
    }

    /** Parses with the first format that fits; a timestamp without an offset is UTC. */
    public Instant parseTimestamp(String text) throws DateTimeParseException {
        String trimmed = text.trim();
        if (timestampFormats.get(0).equals("ISO")) {
            Instant plain = plainIsoLocal(trimmed);
            if (plain != null) {
                return plain;
            }
        }
        DateTimeParseException last = null;
        for (DateTimeFormatter pattern : patterns) {
            try {
                TemporalAccessor parsed = pattern.parseBest(trimmed, OffsetDateTime::from, LocalDateTime::from);
                return parsed instanceof OffsetDateTime offset ? offset.toInstant()
                        : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss}, the shape of nearly every row, without the formatter's general
     * machinery (its cost per row was a fifth of the intake's). Null for any other text, which the
     * formatter then judges, so both paths accept and refuse the same timestamps.
     */
    static Instant plainIsoLocal(String t) {
        if (t.length() != 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
