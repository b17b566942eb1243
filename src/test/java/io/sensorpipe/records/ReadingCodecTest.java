package io.sensorpipe.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.sensorpipe.Json;
import io.sensorpipe.testdata.TestConfig;
import io.sensorpipe.testdata.Values;

class ReadingCodecTest {

    private static final SensorReading READING = new SensorReading(12, 27, "sensor 2040.csv", "bme280", 2040, 1025L,
            42.686, 23.351, Instant.parse("2017-07-01T00:00:09.5Z"), Values.of("pressure", 941.1234, "temperature", -0.001, "humidity", 48.2),
            "2040,1025,42.686,23.351,2017-07-01T00:00:09.5,94112.34,-0.001,48.2");

    private static List<SensorReading> roundTrip(List<SensorReading> readings, int maxChars) throws Exception {
        List<SensorReading> decoded = new ArrayList<>();
        for (ReadingCodec.Encoded value : ReadingCodec.encodeChunks(readings, Values.SHIPPED, maxChars)) {
            List<SensorReading> carried = ReadingCodec.decodeAll(value.value(), Values.SHIPPED);
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
                    -23.351, Instant.parse("2017-07-01T00:00:09.5Z").plusSeconds(line), Values.of("pressure", 941.1234, "temperature", -line / 1000.0, "humidity", 48.2),
                    "2040,1025,42.686,-23.351,2017-07-01T00:00:09.5,94112.34,-0.001,48.2"));
        }
        List<ReadingCodec.Encoded> values = ReadingCodec.encodeChunks(chunk, Values.SHIPPED, 256 * 1024);
        assertEquals(1, values.size());
        assertTrue(values.get(0).value().startsWith(ReadingCodec.CHUNK
                + "\t12\tsensor 2040.csv\tbme280\tpressure:4,temperature:3,humidity:3\n"),
                "the file's name, source and quantities are written once");
        assertEquals(chunk, ReadingCodec.decodeAll(values.get(0).value(), Values.SHIPPED));
    }

    @Test
    void aChunkIsSplitWhenItOutgrowsTheLimitOrTheFileChanges() throws Exception {
        List<SensorReading> readings = new ArrayList<>();
        for (int line = 2; line < 52; line++) {
            readings.add(new SensorReading(line < 40 ? 1 : 2, line, line < 40 ? "a.csv" : "b.csv", "bme280", 7, null,
                    null, null, Instant.EPOCH, Values.of("temperature", 20.0), "raw " + line));
        }
        List<ReadingCodec.Encoded> values = ReadingCodec.encodeChunks(readings, Values.SHIPPED, 300);
        List<SensorReading> decoded = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            List<SensorReading> carried = ReadingCodec.decodeAll(values.get(i).value(), Values.SHIPPED);
            assertEquals(1, carried.stream().map(SensorReading::fileId).distinct().count(), "one file per value");
            decoded.addAll(carried);
            String withoutLast = ReadingCodec.encodeChunks(carried.subList(0, carried.size() - 1), Values.SHIPPED, Integer.MAX_VALUE)
                    .stream().findFirst().map(ReadingCodec.Encoded::value).orElse("");
            assertTrue(withoutLast.length() < 300, "a reading is added only while the value is under the limit");
            if (i + 1 < values.size()) {
                SensorReading next = ReadingCodec.decodeAll(values.get(i + 1).value(), Values.SHIPPED).get(0);
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
                Instant.EPOCH, Values.of("pm10", 0.015, "pm25", 12.0), "\"quoted\tfield\nover two lines\",\\,x\r");
        SensorReading negative = new SensorReading(1, 3, "a\tb\\c\n.csv", "particulate", -7, -3L, -90.0, -180.0,
                Instant.parse("1969-12-31T23:59:59.999999999Z"), Values.of("pressure", 0.0, "temperature", -50.0, "humidity", 0.0, "pm10", 0.0, "pm25", 0.0), "");
        List<ReadingCodec.Encoded> values = ReadingCodec.encodeChunks(List.of(reading, negative), Values.SHIPPED, 1 << 20);
        assertEquals(3, values.get(0).value().split("\n", -1).length - 1, "a header line and one line per reading");
        assertEquals(List.of(reading, negative), ReadingCodec.decodeAll(values.get(0).value(), Values.SHIPPED));
    }

    @Test
    void aChunkNamesItsQuantitiesSoEveryReaderPlacesThemAlike() throws Exception {
        Quantities onboarded = TestConfig.sources(Map.of("pipeline.sources.files",
                "classpath:sources.yaml,classpath:onboarding/sources.yaml")).order();
        SensorReading withCo = new SensorReading(1, 2, "x.csv", "it-station-export", 7001, null, 45.4642, 9.19,
                Instant.parse("2004-03-10T17:00:00Z"), Values.in(onboarded, "temperature", 13.6, "humidity", 48.9,
                        "co", 2.6, "nox", 166.0), "raw;line");
        SensorReading without = new SensorReading(1, 3, "x.csv", "it-station-export", 7001, null, 45.4642, 9.19,
                Instant.parse("2004-03-10T18:00:00Z"), Values.in(onboarded, "temperature", 13.3, "humidity", 47.7),
                "raw;line 2");
        String value = ReadingCodec.encodeChunks(List.of(withCo, without), onboarded, 1 << 20).get(0).value();

        assertTrue(value.startsWith("#readings-chunk\t1\tx.csv\tit-station-export\ttemperature:3,humidity:3,co:3,nox:3\n"),
                "only the quantities the chunk carries, with their decimals: " + value);
        assertTrue(value.contains("\t13600\t48900\t2600\t166000\traw;line\n"), value);
        assertTrue(value.contains("\t13300\t47700\t\t\traw;line 2\n"), value);
        assertEquals(List.of(withCo, without), ReadingCodec.decodeAll(value, onboarded));

        // Another order of the same quantities (sources files listed the other way round) places them alike.
        Quantities reordered = Quantities.of(java.util.stream.Stream.concat(onboarded.names().stream().skip(5),
                onboarded.names().stream().limit(5)).toList(), new int[onboarded.count()]);
        SensorReading read = ReadingCodec.decodeAll(value, reordered).get(0);
        assertEquals(2.6, read.value(reordered.indexOf("co")));
        assertEquals(13.6, read.value(reordered.indexOf("temperature")));
        assertNull(read.value(reordered.indexOf("pressure")));

        // One that does not declare a quantity the chunk carries refuses it, not the record's fault: the loader holds.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ReadingCodec.decodeAll(value, Values.SHIPPED));
        assertTrue(e.getMessage().startsWith("readings of quantity 'co', which this instance does not declare"),
                e.getMessage());
        assertEquals(DeadLetterReason.MALFORMED, assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(value.replace("co:3", "CO:3"), onboarded)).reason());
        assertEquals(DeadLetterReason.MALFORMED, assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(value.replace("co:3", "co:x"), onboarded)).reason());
    }

    @Test
    void aChunkOfTheEarlierFormatIsRefusedSayingSo() {
        String earlier = "#readings-chunk\t12\tsensor2040.csv\tbme280\n"
                + "27\t2040\t1025\t42686000\t23351000\t1498867209\t0\t9411234\t23500\t48200\t\t\traw\n";
        PoisonRecordException e = assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(earlier, Values.SHIPPED));
        assertEquals(DeadLetterReason.NOT_OUR_FORMAT, e.reason());
        assertTrue(e.getMessage().contains("an earlier version"), e.getMessage());
    }

    @Test
    void readingsAtTheirStoredPrecisionDecodeToTheSameDoubles() throws Exception {
        Random random = new Random(3);
        List<SensorReading> readings = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            double lat = new BigDecimal(random.nextInt(180_000_001) - 90_000_000).movePointLeft(6).doubleValue();
            double pressure = new BigDecimal(random.nextInt(11_000_001)).movePointLeft(4).doubleValue();
            double temperature = new BigDecimal(random.nextInt(200_001) - 100_000).movePointLeft(3).doubleValue() + 0.0;
            readings.add(new SensorReading(1, i, "f.csv", "bme280", 1, null, lat, -lat, Instant.EPOCH, Values.of("pressure", pressure, "temperature", temperature), ""));
        }
        assertEquals(readings, roundTrip(readings, 256 * 1024));
    }

    @Test
    void aMalformedValueIsRefusedWithWhereItWentWrong() {
        assertEquals(DeadLetterReason.NOT_OUR_FORMAT,
                assertThrows(PoisonRecordException.class, () -> ReadingCodec.decodeAll("1\t2\t3", Values.SHIPPED)).reason());
        assertEquals(DeadLetterReason.NOT_OUR_FORMAT, assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(Json.MAPPER.writeValueAsString(READING), Values.SHIPPED)).reason(),
                "one reading as JSON was never a format of this topic");
        String value = ReadingCodec.encodeChunks(List.of(READING), Values.SHIPPED, 1024).get(0).value();
        PoisonRecordException e = assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(value.replace("\t2040\t", "\tx2040\t"), Values.SHIPPED));
        assertTrue(e.getMessage().contains("expected a whole number"), e.getMessage());
        assertEquals(DeadLetterReason.MALFORMED, e.reason());
        assertEquals(DeadLetterReason.MALFORMED, assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(value.substring(0, value.length() - 1), Values.SHIPPED)).reason());
        assertEquals(DeadLetterReason.MALFORMED, assertThrows(PoisonRecordException.class,
                () -> ReadingCodec.decodeAll(value.replace("\t1498867209\t500000000\t", "\t1498867209\t5000000000\t"), Values.SHIPPED))
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
