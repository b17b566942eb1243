package io.sensorpipe.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.sensorpipe.Json;
import io.sensorpipe.validation.ReadingStandardiser;

/**
 * The values of records on the readings topic. A record carries a chunk of one file's readings:
 * a header line, {@value #CHUNK} and the file's id, name and shape, then one line per reading with
 * its line number, sensor id, location id, lat, lon, timestamp (epoch seconds and nanoseconds), the
 * five readings and the raw CSV line, tab-separated. Each reading is a whole number of its column's
 * smallest stored unit (lat and lon in millionths of a degree, pressure in ten-thousandths of a hPa,
 * the others in thousandths: the precision {@link ReadingStandardiser} rounds them to), an absent one
 * an empty field, and tabs, newlines and backslashes in text are escaped as {@code \t}, {@code \n},
 * {@code \r} and {@code \\}. For instance (tabs shown as {@code |}):
 * <pre>
 * #readings-chunk|12|sensor2040.csv|bme280
 * 27|2040|1025|42686000|23351000|1498867209|0|9411234|23500|48200|||2040,1025,42.686,...
 * 28|2041|1025|...
 * </pre>
 * <p>
 * One record per chunk rather than per reading: the producer, the broker, the consumer and the Camel
 * exchange each cost a fixed amount per record, which at a few hundred bytes per reading was most of
 * the intake's and the loader's CPU; the file's name and shape are written once per chunk. Whole
 * numbers rather than decimal text because encoding and decoding then cost a fraction of the CPU; a
 * reading decodes to exactly the double it was (the nearest double to a decimal of that precision).
 * It stays readable with any console consumer. Values of earlier versions, one reading per record
 * (16 tab-separated fields, or JSON), are still read.
 */
public final class ReadingCodec {

    private static final int FIELDS = 16;
    private static final double COORDINATE = Math.pow(10, ReadingStandardiser.COORDINATE_DECIMALS);
    private static final double PRESSURE = Math.pow(10, ReadingStandardiser.PRESSURE_DECIMALS);
    private static final double READING = Math.pow(10, ReadingStandardiser.READING_DECIMALS);

    private ReadingCodec() {
    }

    /** The first field of a chunk's header line. */
    public static final String CHUNK = "#readings-chunk";

    /** One record value and how many readings it carries. */
    public record Encoded(String value, int readings) {
    }

    /**
     * The readings as record values in order, a new value whenever the current one has reached
     * {@code maxChars} characters or the next reading is of another file.
     */
    public static List<Encoded> encodeChunks(List<SensorReading> readings, int maxChars) {
        List<Encoded> values = new ArrayList<>(1);
        StringBuilder out = null;
        SensorReading first = null;
        int count = 0;
        for (SensorReading r : readings) {
            if (out != null && (out.length() >= maxChars || !sameFile(first, r))) {
                values.add(new Encoded(out.toString(), count));
                out = null;
            }
            if (out == null) {
                out = new StringBuilder(Math.min(maxChars, readings.size() * 160) + 256);
                first = r;
                count = 0;
                out.append(CHUNK).append('\t').append(r.fileId()).append('\t');
                text(out, r.fileName());
                out.append('\t');
                text(out, r.shape());
                out.append('\n');
            }
            row(out, r);
            count++;
        }
        if (out != null) {
            values.add(new Encoded(out.toString(), count));
        }
        return values;
    }

    private static boolean sameFile(SensorReading a, SensorReading b) {
        return a.fileId() == b.fileId() && Objects.equals(a.fileName(), b.fileName())
                && Objects.equals(a.shape(), b.shape());
    }

    private static void row(StringBuilder out, SensorReading r) {
        out.append(r.line()).append('\t').append(r.sensorId()).append('\t');
        if (r.locationId() != null) {
            out.append(r.locationId().longValue());
        }
        out.append('\t');
        fixed(out, r.lat(), COORDINATE);
        fixed(out, r.lon(), COORDINATE);
        out.append(r.measuredAt().getEpochSecond()).append('\t').append(r.measuredAt().getNano()).append('\t');
        fixed(out, r.pressureHpa(), PRESSURE);
        fixed(out, r.temperatureC(), READING);
        fixed(out, r.humidityPct(), READING);
        fixed(out, r.pm10Ugm3(), READING);
        fixed(out, r.pm25Ugm3(), READING);
        text(out, r.raw());
        out.append('\n');
    }

    /** The id of the file whose readings a record value carries, read from the chunk's header. */
    public static long fileIdOf(String value) throws JsonProcessingException {
        if (!value.startsWith(CHUNK + "\t")) {
            return decode(value).fileId();
        }
        return new Cursor(value, CHUNK.length() + 1).whole();
    }

    /** The readings a record value carries: a chunk, or one reading in a format of earlier versions. */
    public static List<SensorReading> decodeAll(String value) throws JsonProcessingException {
        if (!value.startsWith(CHUNK + "\t")) {
            return List.of(decode(value));
        }
        Cursor in = new Cursor(value, CHUNK.length() + 1);
        long fileId = in.whole();
        String fileName = unescape(in.text());
        String shape = unescape(in.lastText());
        List<SensorReading> readings = new ArrayList<>(Math.max(16, value.length() / 160));
        while (!in.atEnd()) {
            readings.add(new SensorReading(fileId, in.whole(), fileName, shape, in.whole(), in.optionalWhole(),
                    in.decimal(COORDINATE), in.decimal(COORDINATE), Instant.ofEpochSecond(in.whole(), in.whole()),
                    in.decimal(PRESSURE), in.decimal(READING), in.decimal(READING), in.decimal(READING),
                    in.decimal(READING), unescape(in.lastText())));
        }
        return readings;
    }

    /** Reads a chunk's fields in order, in place: numbers are parsed without copying them out. */
    private static final class Cursor {
        private final String value;
        private int at;

        Cursor(String value, int at) {
            this.value = value;
            this.at = at;
        }

        boolean atEnd() {
            return at >= value.length();
        }

        /** A whole number ending at a tab, which it consumes. */
        long whole() {
            int start = at;
            boolean negative = at < value.length() && value.charAt(at) == '-';
            int i = negative ? at + 1 : at;
            long n = 0;
            int digits = 0;
            for (char c; i < value.length() && (c = value.charAt(i)) >= '0' && c <= '9'; i++, digits++) {
                n = n * 10 + (c - '0');
            }
            if (digits == 0 || digits > 18 || i >= value.length() || value.charAt(i) != '\t') {
                throw malformed(start, "a whole number");
            }
            at = i + 1;
            return negative ? -n : n;
        }

        Long optionalWhole() {
            if (at < value.length() && value.charAt(at) == '\t') {
                at++;
                return null;
            }
            return whole();
        }

        /** Both operands are exact doubles, so the quotient is the nearest double to the decimal. */
        Double decimal(double unitsPerOne) {
            Long units = optionalWhole();
            return units == null ? null : units / unitsPerOne;
        }

        /** Text ending at a tab, which it consumes. */
        String text() {
            int end = value.indexOf('\t', at);
            int newline = value.indexOf('\n', at);
            if (end < 0 || (newline >= 0 && newline < end)) {
                throw malformed(at, "a tab");
            }
            String text = value.substring(at, end);
            at = end + 1;
            return text;
        }

        /** The last field of a line: text up to the newline, which it consumes. */
        String lastText() {
            int end = value.indexOf('\n', at);
            if (end < 0) {
                throw malformed(at, "a line ending");
            }
            String text = value.substring(at, end);
            if (text.indexOf('\t') >= 0) {
                throw malformed(at, "the last field");
            }
            at = end + 1;
            return text;
        }

        private IllegalArgumentException malformed(int where, String expected) {
            int lineStart = value.lastIndexOf('\n', Math.max(0, where - 1)) + 1;
            int lineEnd = value.indexOf('\n', where);
            String line = value.substring(lineStart, lineEnd < 0 ? value.length() : lineEnd);
            return new IllegalArgumentException("readings chunk: expected " + expected + " at character "
                    + (where - lineStart + 1) + " of '" + (line.length() > 200 ? line.substring(0, 200) + "..." : line)
                    + "'");
        }
    }

    /** One reading as earlier versions sent it: 16 tab-separated fields, or JSON. */
    private static SensorReading decode(String value) throws JsonProcessingException {
        if (value.startsWith("{")) {
            return Json.MAPPER.readValue(value, SensorReading.class);
        }
        int[] ends = new int[FIELDS];
        int count = 0;
        for (int i = value.indexOf('\t'); i >= 0 && count < FIELDS - 1; i = value.indexOf('\t', i + 1)) {
            ends[count++] = i;
        }
        ends[count++] = value.length();
        if (count != FIELDS || value.indexOf('\t', ends[FIELDS - 2] + 1) >= 0) {
            throw new IllegalArgumentException("a reading has " + FIELDS + " tab-separated fields: " + value);
        }
        Fields f = new Fields(value, ends);
        return new SensorReading(
                f.whole(0),
                f.whole(1),
                unescape(f.text(2)),
                unescape(f.text(3)),
                f.whole(4),
                f.isEmpty(5) ? null : f.whole(5),
                f.decimal(6, COORDINATE),
                f.decimal(7, COORDINATE),
                Instant.ofEpochSecond(f.whole(8), f.whole(9)),
                f.decimal(10, PRESSURE),
                f.decimal(11, READING),
                f.decimal(12, READING),
                f.decimal(13, READING),
                f.decimal(14, READING),
                unescape(f.text(15)));
    }

    /** The fields of one value, read in place: numbers are parsed without copying them out. */
    private record Fields(String value, int[] ends) {
        private int start(int i) {
            return i == 0 ? 0 : ends[i - 1] + 1;
        }

        boolean isEmpty(int i) {
            return start(i) == ends[i];
        }

        long whole(int i) {
            return Long.parseLong(value, start(i), ends[i], 10);
        }

        /** Both operands are exact doubles, so the quotient is the nearest double to the decimal. */
        Double decimal(int i, double unitsPerOne) {
            return isEmpty(i) ? null : whole(i) / unitsPerOne;
        }

        String text(int i) {
            return value.substring(start(i), ends[i]);
        }
    }

    private static void fixed(StringBuilder out, Double value, double unitsPerOne) {
        if (value != null) {
            out.append(Math.round(value * unitsPerOne));
        }
        out.append('\t');
    }


    private static void text(StringBuilder out, String value) {
        if (value == null) {
            return;
        }
        if (!needsEscape(value)) {
            out.append(value);
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\\' -> out.append("\\\\");
                default -> out.append(c);
            }
        }
    }

    private static boolean needsEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                out.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
