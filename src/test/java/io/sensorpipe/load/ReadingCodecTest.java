package io.sensorpipe.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.sensorpipe.Json;

class ReadingCodecTest {

    @Test
    void aReadingSurvivesTheRoundTripExactly() throws Exception {
        SensorReading reading = new SensorReading(12, 27, "sensor 2040.csv", "bme280", 2040, 1025L, 42.686, 23.351,
                Instant.parse("2017-07-01T00:00:09.5Z"), 941.1234, -0.001, 48.2, null, null,
                "2040,1025,42.686,23.351,2017-07-01T00:00:09.5,94112.34,-0.001,48.2");
        assertEquals(reading, ReadingCodec.decode(ReadingCodec.encode(reading)));
    }

    @Test
    void absentReadingsAndTextWithTabsNewlinesAndBackslashesRoundTrip() throws Exception {
        SensorReading reading = new SensorReading(1, 2, "a\tb\\c.csv", "particulate", 7, null, null, null,
                Instant.EPOCH, null, null, null, 0.015, 12.0, "\"quoted\tfield\nover two lines\",\\,x\r");
        String value = ReadingCodec.encode(reading);
        assertEquals(-1, value.indexOf('\n'), "one line per record");
        assertEquals(reading, ReadingCodec.decode(value));
    }

    @Test
    void readingsAtTheirStoredPrecisionDecodeToTheSameDoubles() throws Exception {
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 100_000; i++) {
            double lat = new java.math.BigDecimal(random.nextInt(180_000_001) - 90_000_000).movePointLeft(6).doubleValue();
            double pressure = new java.math.BigDecimal(random.nextInt(11_000_001)).movePointLeft(4).doubleValue();
            double temperature = new java.math.BigDecimal(random.nextInt(200_001) - 100_000).movePointLeft(3)
                    .doubleValue() + 0.0;
            SensorReading reading = new SensorReading(1, i, "f.csv", "bme280", 1, null, lat, -lat, Instant.EPOCH,
                    pressure, temperature, null, null, null, "");
            assertEquals(reading, ReadingCodec.decode(ReadingCodec.encode(reading)));
        }
    }

    @Test
    void aJsonValueOfEarlierVersionsIsStillRead() throws Exception {
        SensorReading reading = new SensorReading(3, 4, "f.csv", "bme280", 9, 10L, 1.0, 2.0, Instant.EPOCH, 900.0,
                20.0, 50.0, null, null, "raw");
        assertEquals(reading, ReadingCodec.decode(Json.MAPPER.writeValueAsString(reading)));
    }

    @Test
    void aValueWithTheWrongNumberOfFieldsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ReadingCodec.decode("1\t2\t3"));
    }
}
