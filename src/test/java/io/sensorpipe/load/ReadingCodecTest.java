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
                Instant.EPOCH, null, null, null, 1.5E-4, 12.0, "\"quoted\tfield\nover two lines\",\\,x\r");
        String value = ReadingCodec.encode(reading);
        assertEquals(-1, value.indexOf('\n'), "one line per record");
        assertEquals(reading, ReadingCodec.decode(value));
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
