package io.sensorpipe.sources;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;

/**
 * How a source's timestamps are written: one column in one of several formats, or a date column and
 * a time column, each with its pattern. A timestamp without an offset is in the source's zone (UTC
 * unless it says otherwise): a region ({@code Europe/Rome}), where a local time that a daylight-saving
 * change skips does not exist and is refused and one it repeats is taken at the earlier offset; a fixed
 * offset ({@code +01:00}); or a region's standard time all year ({@code standard-time}: a logger whose
 * clock never changes, every local time existing exactly once).
 */
public final class TimestampSpec {

    private final List<String> formats;
    private final List<DateTimeFormatter> patterns;
    private final ZoneId zone;
    /** The zone's standard offset all year, daylight saving ignored. */
    private final boolean standardTime;
    private final boolean iso;
    private final String expected;

    private TimestampSpec(List<String> formats, ZoneId zone, boolean standardTime, String expected) {
        this.formats = List.copyOf(formats);
        this.zone = zone.normalized();
        this.standardTime = standardTime && !(this.zone instanceof ZoneOffset);
        this.iso = formats.get(0).equals("ISO");
        this.expected = expected;
        this.patterns = new ArrayList<>();
        for (String format : formats) {
            patterns.add(formatter(format));
        }
    }

    /** One column, in one of {@code formats} ({@code ISO} or a {@link DateTimeFormatter} pattern). */
    public static TimestampSpec ofFormats(List<String> formats, ZoneId zone) {
        return ofFormats(formats, zone, false);
    }

    /** As {@link #ofFormats(List, ZoneId)}; {@code standardTime}: the zone's standard offset all year. */
    public static TimestampSpec ofFormats(List<String> formats, ZoneId zone, boolean standardTime) {
        String expected = formats.equals(List.of("ISO")) ? "ISO-8601 date-time"
                : "date-time as " + String.join(" or ", formats);
        return new TimestampSpec(formats, zone, standardTime, expected);
    }

    /** A date and a time, parsed as the date's text, a space and the time's text. */
    public static TimestampSpec ofDateAndTime(String datePattern, String timePattern, ZoneId zone) {
        return ofDateAndTime(datePattern, timePattern, zone, false);
    }

    /** As {@link #ofDateAndTime(String, String, ZoneId)}; {@code standardTime}: the zone's standard offset all year. */
    public static TimestampSpec ofDateAndTime(String datePattern, String timePattern, ZoneId zone,
            boolean standardTime) {
        return new TimestampSpec(List.of(datePattern + " " + timePattern), zone, standardTime,
                "date as " + datePattern + " and time as " + timePattern);
    }

    /** Null when the pattern is a valid date-time pattern, else what is wrong with it. */
    public static String problemWith(String format) {
        if (format.equals("ISO")) {
            return null;
        }
        try {
            DateTimeFormatter.ofPattern(format);
            return null;
        } catch (IllegalArgumentException e) {
            return "'" + format + "' is not a date-time pattern: " + e.getMessage();
        }
    }

    private static DateTimeFormatter formatter(String format) {
        return format.equals("ISO") ? DateTimeFormatter.ISO_DATE_TIME
                // STRICT refuses 2017-02-30; it needs the proleptic year 'u' instead of year-of-era 'y'.
                : DateTimeFormatter.ofPattern(format.replace('y', 'u')).withResolverStyle(ResolverStyle.STRICT);
    }

    /** What a valid timestamp looks like, for the reports. */
    public String expected() {
        return expected;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Whether local times are in the zone's standard time all year (daylight saving ignored). */
    public boolean standardTime() {
        return standardTime;
    }

    /** Parses with the first format that fits. */
    public Instant parse(String text) throws DateTimeParseException {
        String trimmed = text.trim();
        if (iso) {
            LocalDateTime plain = plainIsoLocal(trimmed);
            if (plain != null) {
                return inZone(plain, trimmed);
            }
        }
        DateTimeParseException last = null;
        for (DateTimeFormatter pattern : patterns) {
            try {
                TemporalAccessor parsed = pattern.parseBest(trimmed, OffsetDateTime::from, LocalDateTime::from);
                return parsed instanceof OffsetDateTime offset ? offset.toInstant()
                        : inZone((LocalDateTime) parsed, trimmed);
            } catch (DateTimeParseException e) {
                last = e;
            }
        }
        throw last;
    }

    private Instant inZone(LocalDateTime local, String text) {
        if (zone instanceof ZoneOffset fixed) {
            return local.toInstant(fixed);
        }
        if (standardTime) {
            // The standard offset at that time of year (it changed in some zones' history): looked up once
            // near the instant and once at it, which settles unless a change of standard time lies between.
            ZoneRules rules = zone.getRules();
            ZoneOffset near = rules.getStandardOffset(local.toInstant(ZoneOffset.UTC));
            return local.toInstant(rules.getStandardOffset(local.toInstant(near)));
        }
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        if (offsets.isEmpty()) {
            throw new DateTimeParseException(local + " does not exist in " + zone + " (a daylight-saving gap)", text, 0);
        }
        return local.toInstant(offsets.get(0));
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss}, the shape of nearly every Sofia row, without the formatter's general
     * machinery (its cost per row was a fifth of the intake's). Null for any other text, which the
     * formatter then judges, so both paths accept and refuse the same timestamps.
     */
    public static LocalDateTime plainIsoLocal(String t) {
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
            return LocalDateTime.of(year, month, day, hour, minute, second);
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

    @Override
    public String toString() {
        return expected + (zone == ZoneOffset.UTC ? "" : " in " + zone + (standardTime ? " standard time" : ""));
    }

    List<String> formats() {
        return formats;
    }
}
