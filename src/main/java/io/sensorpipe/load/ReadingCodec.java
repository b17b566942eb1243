package io.sensorpipe.load;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.sensorpipe.Json;
import io.sensorpipe.validation.ReadingStandardiser;

/**
 * The value of a record on the readings topic: one line of tab-separated fields, in the order of
 * {@link SensorReading}'s components, the timestamp as epoch seconds and nanoseconds, each reading as
 * a whole number of its column's smallest stored unit (lat and lon in millionths of a degree,
 * pressure in ten-thousandths of a hPa, the others in thousandths: the precision
 * {@link ReadingStandardiser} rounds them to), an empty field for an absent reading, and tabs,
 * newlines and backslashes in the text fields escaped as {@code \t}, {@code \n}, {@code \r} and
 * {@code \\}. For instance (tabs shown as {@code |}):
 * {@code 12|27|sensor2040.csv|bme280|2040|1025|42686000|23351000|1498867209|0|9411234|23500|48200|||2040,...}.
 * <p>
 * Chosen over JSON, and whole numbers over decimal text, because encoding and decoding then cost a
 * fraction of the CPU per row, the dominant cost of the intake and the loader; a reading decodes to
 * exactly the double it was (the nearest double to a decimal of that precision). It stays readable
 * with any console consumer. A JSON value (the format of earlier versions) is still read.
 */
public final class ReadingCodec {

    private static final int FIELDS = 16;
    private static final double COORDINATE = Math.pow(10, ReadingStandardiser.COORDINATE_DECIMALS);
    private static final double PRESSURE = Math.pow(10, ReadingStandardiser.PRESSURE_DECIMALS);
    private static final double READING = Math.pow(10, ReadingStandardiser.READING_DECIMALS);

    private ReadingCodec() {
    }

    public static String encode(SensorReading r) {
        StringBuilder out = new StringBuilder(192);
        out.append(r.fileId()).append('\t').append(r.line()).append('\t');
        text(out, r.fileName());
        out.append('\t');
        text(out, r.shape());
        out.append('\t').append(r.sensorId()).append('\t');
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
        return out.toString();
    }

    public static SensorReading decode(String value) throws JsonProcessingException {
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
