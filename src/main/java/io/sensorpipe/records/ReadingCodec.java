package io.sensorpipe.records;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The values of records on the readings topic. A record carries a chunk of one file's readings:
 * a header line, {@value #CHUNK}, the file's id, name and source, and the quantities the chunk's
 * readings carry, each with the decimals it is written to ({@code pressure:4,temperature:3}); then one
 * line per reading with its line number, sensor id, location id, lat, lon, timestamp (epoch seconds and
 * nanoseconds), a field per quantity the header names, in that order, and the raw CSV line,
 * tab-separated. Each value is a whole number of its quantity's smallest stored unit (lat and lon in
 * millionths of a degree, a quantity in units of its last decimal: the precision
 * {@code ReadingStandardiser} rounds it to), an absent one an empty field, and tabs, newlines and
 * backslashes in text are escaped as {@code \t}, {@code \n}, {@code \r} and {@code \\}. For instance
 * (tabs shown as {@code |}):
 * <pre>
 * #readings-chunk|12|sensor2040.csv|sofia-bme280|pressure:4,temperature:3,humidity:3
 * 27|2040|1025|42686000|23351000|1498867209|0|9411234|23500|48200|2040,1025,42.686,...
 * 28|2041|1025|...
 * </pre>
 * <p>
 * The header names its quantities, so a chunk means the same to every reader: one written by an instance
 * that declares a quantity this one does not is refused loudly (the loader holds), never read into the
 * wrong column. One record per chunk rather than per reading: the producer, the broker, the consumer and
 * the Camel exchange each cost a fixed amount per record, which at a few hundred bytes per reading was
 * most of the intake's and the loader's CPU; the file's name, source and quantities are written once per
 * chunk. Whole numbers rather than decimal text because encoding and decoding then cost a fraction of the
 * CPU; a value decodes to exactly the double it was (the nearest double to a decimal of that precision).
 * It stays readable with any console consumer. A value that is not such a chunk is refused with a
 * {@link PoisonRecordException} saying what is wrong and where.
 */
public final class ReadingCodec {

    private static final double COORDINATE = Math.pow(10, SensorReading.COORDINATE_DECIMALS);
    private static final double[] POWERS_OF_TEN = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};

    /** The most decimals a quantity may be stored to. */
    public static final int MAX_DECIMALS = POWERS_OF_TEN.length - 1;

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
    public static List<Encoded> encodeChunks(List<SensorReading> readings, Quantities quantities, int maxChars) {
        int[] carried = carried(readings, quantities.count());
        String header = header(carried, quantities);
        double[] scale = new double[carried.length];
        for (int i = 0; i < carried.length; i++) {
            scale[i] = POWERS_OF_TEN[quantities.decimals(carried[i])];
        }
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
                text(out, r.source());
                out.append(header);
            }
            row(out, r, carried, scale);
            count++;
        }
        if (out != null) {
            values.add(new Encoded(out.toString(), count));
        }
        return values;
    }

    private static boolean sameFile(SensorReading a, SensorReading b) {
        return a.fileId() == b.fileId() && Objects.equals(a.fileName(), b.fileName())
                && Objects.equals(a.source(), b.source());
    }

    /** The positions of the quantities any of the readings has a value of. */
    private static int[] carried(List<SensorReading> readings, int count) {
        boolean[] has = new boolean[count];
        int found = 0;
        for (SensorReading r : readings) {
            double[] values = r.values();
            for (int q = 0; q < count; q++) {
                if (!has[q] && !Double.isNaN(values[q])) {
                    has[q] = true;
                    if (++found == count) {
                        break;
                    }
                }
            }
            if (found == count) {
                break;
            }
        }
        int[] carried = new int[found];
        for (int q = 0, i = 0; q < count; q++) {
            if (has[q]) {
                carried[i++] = q;
            }
        }
        return carried;
    }

    /** The header's last field, {@code name:decimals,…}, with the tab before it and the newline after it. */
    private static String header(int[] carried, Quantities quantities) {
        StringBuilder header = new StringBuilder("\t");
        for (int i = 0; i < carried.length; i++) {
            header.append(i == 0 ? "" : ",").append(quantities.name(carried[i])).append(':')
                    .append(quantities.decimals(carried[i]));
        }
        return header.append('\n').toString();
    }

    private static void row(StringBuilder out, SensorReading r, int[] carried, double[] scale) {
        out.append(r.line()).append('\t').append(r.sensorId()).append('\t');
        if (r.locationId() != null) {
            out.append(r.locationId().longValue());
        }
        out.append('\t');
        fixed(out, r.lat(), COORDINATE);
        fixed(out, r.lon(), COORDINATE);
        out.append(r.measuredAt().getEpochSecond()).append('\t').append(r.measuredAt().getNano()).append('\t');
        double[] values = r.values();
        for (int i = 0; i < carried.length; i++) {
            double v = values[carried[i]];
            if (!Double.isNaN(v)) {
                out.append(Math.round(v * scale[i]));
            }
            out.append('\t');
        }
        text(out, r.raw());
        out.append('\n');
    }

    /**
     * A record value as text: UTF-8, strictly. Bytes that are not UTF-8 cannot be a chunk this
     * pipeline wrote (its values are encoded by the Kafka string serializer).
     */
    public static String text(byte[] value) {
        if (value == null) {
            throw new PoisonRecordException(DeadLetterReason.MALFORMED, "the record has no value");
        }
        String text = new String(value, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value));
            } catch (CharacterCodingException e) {
                throw new PoisonRecordException(DeadLetterReason.BAD_ENCODING, "the record value is not UTF-8: " + e);
            }
        }
        return text;
    }

    /** The id of the file whose readings a record value carries, read from the chunk's header. */
    public static long fileIdOf(String value) {
        requireChunk(value);
        return new Cursor(value, CHUNK.length() + 1).whole();
    }

    /**
     * The file name a chunk's header gives, or null when the header cannot be read that far: with the
     * file id, what proves a chunk belongs to a file's read before its rows are trusted or its faults
     * are pinned on that file.
     */
    public static String fileNameOf(String value) {
        try {
            requireChunk(value);
            Cursor in = new Cursor(value, CHUNK.length() + 1);
            in.whole();
            return unescape(in.text());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The readings a chunk carries, their values placed by these quantities. A chunk of a quantity they
     * do not hold cannot be stored here: {@link IllegalStateException}, for the loader to hold until the
     * configuration is put right.
     */
    public static List<SensorReading> decodeAll(String value, Quantities quantities) {
        requireChunk(value);
        Cursor in = new Cursor(value, CHUNK.length() + 1);
        long fileId = in.whole();
        String fileName = unescape(in.text());
        if (in.lineEndsBeforeTab()) {
            throw new PoisonRecordException(DeadLetterReason.NOT_OUR_FORMAT, "a readings chunk of an earlier"
                    + " version (its header names no quantities); this version reads only the chunks it writes");
        }
        String source = unescape(in.text());
        String header = in.lastText();
        int[] position = positions(header, quantities, in);
        double[] scale = scales(header, position.length);
        List<SensorReading> readings = new ArrayList<>(Math.max(16, value.length() / 160));
        try {
            while (!in.atEnd()) {
                long line = in.whole();
                long sensor = in.whole();
                Long location = in.optionalWhole();
                Double lat = in.decimal(COORDINATE);
                Double lon = in.decimal(COORDINATE);
                Instant at = Instant.ofEpochSecond(in.whole(), in.nanos());
                double[] values = quantities.none();
                for (int i = 0; i < position.length; i++) {
                    values[position[i]] = in.value(scale[i]);
                }
                readings.add(new SensorReading(fileId, line, fileName, source, sensor, location, lat, lon, at, values,
                        unescape(in.lastText())));
            }
        } catch (DateTimeException e) {
            throw new PoisonRecordException(DeadLetterReason.MALFORMED, "readings chunk: " + e.getMessage());
        }
        return readings;
    }

    /** Where each quantity the header names goes among these quantities. */
    private static int[] positions(String header, Quantities quantities, Cursor in) {
        if (header.isEmpty()) {
            return new int[0];
        }
        String[] named = header.split(",", -1);
        int[] position = new int[named.length];
        for (int i = 0; i < named.length; i++) {
            int colon = named[i].indexOf(':');
            if (colon <= 0 || !isName(named[i], colon)) {
                throw in.malformed(0, "quantity:decimals pairs in the header");
            }
            String name = named[i].substring(0, colon);
            position[i] = quantities.indexOf(name);
            if (position[i] < 0) {
                throw new IllegalStateException("readings of quantity '" + name + "', which this instance does not"
                        + " declare: its sources files must declare it under quantities: (declared: " + quantities + ")");
            }
        }
        return position;
    }

    /** Per quantity the header names, the units per one its values are written in. */
    private static double[] scales(String header, int count) {
        double[] scale = new double[count];
        if (count == 0) {
            return scale;
        }
        String[] named = header.split(",", -1);
        for (int i = 0; i < count; i++) {
            String digits = named[i].substring(named[i].indexOf(':') + 1);
            if (digits.length() != 1 || digits.charAt(0) < '0' || digits.charAt(0) - '0' > MAX_DECIMALS) {
                throw new PoisonRecordException(DeadLetterReason.MALFORMED, "readings chunk: '" + named[i]
                        + "' in the header: decimals from 0 to " + MAX_DECIMALS);
            }
            scale[i] = POWERS_OF_TEN[digits.charAt(0) - '0'];
        }
        return scale;
    }

    private static boolean isName(String pair, int end) {
        for (int i = 0; i < end; i++) {
            char c = pair.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static void requireChunk(String value) {
        if (!value.startsWith(CHUNK + "\t")) {
            String start = value.length() > 60 ? value.substring(0, 60) + "..." : value;
            throw new PoisonRecordException(DeadLetterReason.NOT_OUR_FORMAT,
                    "not a readings chunk: the value does not start with '" + CHUNK + "' and a tab: '"
                            + start.replace("\n", "\\n").replace("\t", "\\t") + "'");
        }
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

        /** Nanoseconds of a second: a whole number from 0 to 999,999,999. */
        long nanos() {
            int start = at;
            long n = whole();
            if (n < 0 || n > 999_999_999) {
                throw malformed(start, "nanoseconds (0 to 999999999)");
            }
            return n;
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

        /** A value of {@code unitsPerOne} units, or NaN for an empty field. */
        double value(double unitsPerOne) {
            if (at < value.length() && value.charAt(at) == '\t') {
                at++;
                return Double.NaN;
            }
            return whole() / unitsPerOne;
        }

        /** Whether the current line ends before its next tab. */
        boolean lineEndsBeforeTab() {
            int tab = value.indexOf('\t', at);
            int newline = value.indexOf('\n', at);
            return newline >= 0 && (tab < 0 || newline < tab);
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

        PoisonRecordException malformed(int where, String expected) {
            int lineStart = value.lastIndexOf('\n', Math.max(0, where - 1)) + 1;
            int lineEnd = value.indexOf('\n', where);
            String line = value.substring(lineStart, lineEnd < 0 ? value.length() : lineEnd);
            return new PoisonRecordException(DeadLetterReason.MALFORMED, "readings chunk: expected " + expected + " at character "
                    + (where - lineStart + 1) + " of '" + (line.length() > 200 ? line.substring(0, 200) + "..." : line)
                    + "'");
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
