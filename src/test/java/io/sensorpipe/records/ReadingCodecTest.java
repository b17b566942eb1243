package io.sensorpipe.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.sensorpipe.Json;

class ReadingCodecTest {

    private static final SensorReading READING = new SensorReading(12, 27, "sensor 2040.csv", "bme280", 2040, 1025L,
            42.686, 23.351, Instant.parse("2017-07-01T00:00:09.5Z"), 941.1234, -0.001, 48.2, null, null,
            "2040,1025,42.686,23.351,2017-07-01T00:00:09.5,94112.34,-0.001,48.2");

    private static List<SensorReading> roundTrip(List<SensorReading> readings, int maxChars) throws Exception {
        List<SensorReading> decoded = new ArrayList<>();
        for (ReadingCodec.Encoded value : ReadingCodec.encodeChunks(readings, maxChars)) {
            List<SensorReading> carried = ReadingCodec.decodeAll(value.value());
            assertEquals(value.readings(), carried.size(), "a value carries the readings it says");
            decoded.addAll(carried);
        }
        return decoded;
    }

    @Test
    void aChunkSurvivesTheRoundTripExactlyInOneValue() throws Exception {
        List<SensorReading> chunk = new ArrayList<>();
        for (int line = 2; line < 1002; line++) {
            chunk.add(new SensorReading(12, line, "sensor 2040.csv", "bme280", 2040 + line % 7, 1025L, 42.686,
                    -23.351, Instant.parse("2017-07-01T00:00:09.5Z").plusSeconds(line), 941.1234, -line / 1000.0,
                    48.2, null, null, "2040,1025,42.686,-23.351,2017-07-01T00:00:09.5,94112.34,-0.001,48.2"));
        }
        List<ReadingCodec.Encoded> values = ReadingCodec.encodeChunks(chunk, 256 * 1024);
        assertEquals(1, values.size());
        assertTrue(values.get(0).value().startsWith(ReadingCodec.CHUNK + "\t12\tsensor 2040.csv\tbme280\n"),
                "the file's name and shape are written once");
        assertEquals(chunk, ReadingCodec.decodeAll(values.get(0).value()));
    }

    @Test
    void aChunkIsSplitWhenItOutgrowsTheLimitOrTheFileChanges() throws Exception {
        List<SensorReading> readings = new ArrayList<>();
        for (int line = 2; line < 52; line++) {
            readings.add(new SensorReading(line < 40 ? 1 : 2, line, line < 40 ? "a.csv" : "b.csv", "bme280", 7, null,
                    null, null, Instant.EPOCH, null, 20.0, null, null, null, "raw " + line));
        }
        List<ReadingCodec.Encoded> values = ReadingCodec.encodeChunks(readings, 300);
        List<SensorReading> decoded = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            List<SensorReading> carried = ReadingCodec.decodeAll(values.get(i).value());
            assertEquals(1, carried.stream().map(SensorReading::fileId).distinct().count(), "one file per value");
            decoded.addAll(carried);
            String withoutLast = ReadingCodec.encodeChunks(carried.subList(0, carried.size() - 1), Integer.MAX_VALUE)
                    .stream().findFirst().map(ReadingCodec.Encoded::value).orElse("");
            assertTrue(withoutLast.length() < 300, "a reading is added only while the value is under the limit");
            if (i + 1 < values.size()) {
                SensorReading next = ReadingCodec.decodeAll(values.get(i + 1).value()).get(0);
                if (next.fileId() == carried.get(0).fileId()) {
                    assertTrue(values.get(i).value().length() >= 300,
                            "value " + i + " ends only once it has reached the limit: " + values.get(i).value().length());
                } else {
                    assertEquals(39, carried.get(carried.size() - 1).line(), "a value ends where the file changes");
                }
            }
        }
        assertEquals(readings, decoded, "every reading once, in order");
        assertEquals(readings, roundTrip(readings, 300));
    }

    @Test
    void absentReadingsAndTextWithTabsNewlinesAndBackslashesRoundTrip() throws Exception {
        SensorReading reading = new SensorReading(1, 2, "a\tb\\c\n.csv", "particulate", 7, null, null, null,
                Instant.EPOCH, null, null, null, 0.015, 12.0, "\"quoted\tfield\nover two lines\",\\,x\r");
        SensorReading negative = new SensorReading(1, 3, "a\tb\\c\n.csv", "particulate", -7, -3L, -90.0, -180.0,
                Instant.parse("1969-12-31T23:59:59.999999999Z"), 0.0, -50.0, 0.0, 0.0, 0.0, "");
        List<ReadingCodec.Encoded> values = ReadingCodec.encodeChunks(List.of(reading, negative), 1 << 20);
        assertEquals(3, values.get(0).value().split("\n", -1).length - 1, "a header line and one line per reading");
        assertEquals(List.of(reading, negative), ReadingCodec.decodeAll(values.get(0).value()));
    }

    @Test
    void configuredQuantitiesTravelWithTheirReadingAndOldLinesWithoutThemStillDecode() throws Exception {
        SensorReading withExtra = new SensorReading(1, 2, "x.csv", "it-station-export", 7001, null, 45.4642, 9.19,
                Instant.parse("2004-03-10T17:00:00Z"), null, 13.6, 48.9, null, null, "raw;line",
                new java.util.LinkedHashMap<>(java.util.Map.of("co", 2.6, "nox", 166.0)));
        SensorReading without = new SensorReading(1, 3, "x.csv", "it-station-export", 7001, null, 45.4642, 9.19,
                Instant.parse("2004-03-10T18:00:00Z"), null, 13.3, 47.7, null, null, "raw;line 2");
        String value = ReadingCodec.encodeChunks(List.of(withExtra, without), 1 << 20).get(0).value();

        assertEquals(List.of(withExtra, without), ReadingCodec.decodeAll(value));
        assertEquals(java.util.Map.of(), ReadingCodec.decodeAll(value).get(1).extra());
        assertTrue(value.contains("\tco=2600,nox=166000\traw;line\n") || value.contains("\tnox=166000,co=2600\traw;line\n"),
                value);
        assertEquals(DeadLetterReason.MALFORMED, assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(value.replace("co=2600", "CO=x"))).reason());
    }

    @Test
    void readingsAtTheirStoredPrecisionDecodeToTheSameDoubles() throws Exception {
        Random random = new Random(3);
        List<SensorReading> readings = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            double lat = new BigDecimal(random.nextInt(180_000_001) - 90_000_000).movePointLeft(6).doubleValue();
            double pressure = new BigDecimal(random.nextInt(11_000_001)).movePointLeft(4).doubleValue();
            double temperature = new BigDecimal(random.nextInt(200_001) - 100_000).movePointLeft(3).doubleValue() + 0.0;
            readings.add(new SensorReading(1, i, "f.csv", "bme280", 1, null, lat, -lat, Instant.EPOCH, pressure,
                    temperature, null, null, null, ""));
        }
        assertEquals(readings, roundTrip(readings, 256 * 1024));
    }

    @Test
    void aMalformedValueIsRefusedWithWhereItWentWrong() {
        assertEquals(DeadLetterReason.NOT_OUR_FORMAT,
                assertThrows(PoisonRecordException.class, () -> ReadingCodec.decodeAll("1\t2\t3")).reason());
        assertEquals(DeadLetterReason.NOT_OUR_FORMAT, assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(Json.MAPPER.writeValueAsString(READING))).reason(),
                "one reading as JSON was never a format of this topic");
        String value = ReadingCodec.encodeChunks(List.of(READING), 1024).get(0).value();
        PoisonRecordException e = assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(value.replace("\t2040\t", "\tx2040\t")));
        assertTrue(e.getMessage().contains("expected a whole number"), e.getMessage());
        assertEquals(DeadLetterReason.MALFORMED, e.reason());
        assertEquals(DeadLetterReason.MALFORMED, assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(value.substring(0, value.length() - 1))).reason());
        assertEquals(DeadLetterReason.MALFORMED, assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(value.replace("\t1498867209\t500000000\t", "\t1498867209\t5000000000\t")))
                .reason(), "nanoseconds out of range");
    }

    @Test
    void aValueThatIsNotUtf8IsRefusedAndOneThatIsDecodes() {
        assertEquals(DeadLetterReason.BAD_ENCODING, assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.text(new byte[] {'#', (byte) 0xC3, (byte) 0x28})).reason());
        assertEquals("caf\u00e9 \uFFFD", ReadingCodec.text("caf\u00e9 \uFFFD".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "a replacement character written as such is text like any other");
        assertEquals(DeadLetterReason.MALFORMED,
                assertThrows(PoisonRecordException.class, () -> ReadingCodec.text(null)).reason());
    }
}
