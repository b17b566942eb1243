package io.sensorpipe.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.sources.Field;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.TestConfig;
import io.sensorpipe.testdata.Values;

class HeaderInspectorTest {

    @TempDir
    Path dir;

    private final HeaderInspector inspector = new HeaderInspector(TestConfig.sources(), 1000);

    private CsvLayout layoutOfFile(byte[] content) throws Exception {
        Path file = Files.write(dir.resolve("f.csv"), content);
        return inspector.layoutOf("f.csv", HeaderInspector.readHead(file));
    }

    private CsvLayout layoutOf(String header) throws Exception {
        return inspector.layoutOf("f.csv", (header + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static int at(CsvLayout layout, Field field) {
        return layout.fieldAt()[field.ordinal()];
    }

    private static int at(CsvLayout layout, String quantity) {
        return layout.fieldAt()[Values.slot(quantity)];
    }

    @Test
    void bme280HeaderWithTwoPandasIndexColumnsMapsPastThem() throws Exception {
        CsvLayout layout = layoutOf(Csv.PANDAS_BME280_HEADER);
        assertEquals("sofia-bme280", layout.source().name());
        assertEquals(2, at(layout, Field.SENSOR_ID));
        assertEquals(9, at(layout, "humidity"));
        assertEquals(10, layout.columnCount());
        assertEquals(-1, at(layout, "pm10"));
    }

    @Test
    void particulateHeaderInAnotherOrderWithOneIndexColumn() throws Exception {
        CsvLayout layout = layoutOf(",timestamp,P2,P1,sensor_id,location,lat,lon");
        assertEquals("sofia-particulate", layout.source().name());
        assertEquals(1, at(layout, Field.TIMESTAMP));
        assertEquals(3, at(layout, "pm10"));
        assertEquals(4, at(layout, Field.SENSOR_ID));
    }

    @Test
    void byteOrderMarkAndCrlfAreAccepted() throws Exception {
        CsvLayout layout = layoutOfFile(("\uFEFF" + Csv.BME280_HEADER + "\r\n1,2,3\r\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("sofia-bme280", layout.source().name());
        assertEquals(Csv.BME280_HEADER, layout.headerLine());
    }

    @Test
    void missingAndUnknownColumnsAreNamedInTheReason() {
        UnreadableFileException e = assertThrows(UnreadableFileException.class,
                () -> layoutOf("sensor_id,location,lat,lon,timestamp,pressure,temperature,wind"));
        assertTrue(e.getMessage().contains("missing [humidity]"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown [wind]"), e.getMessage());
    }

    @Test
    void aColumnNamedTwiceIsRefused() {
        UnreadableFileException e = assertThrows(UnreadableFileException.class,
                () -> layoutOf(Csv.BME280_HEADER + ",humidity"));
        assertEquals("header names column 'humidity' twice", e.getMessage());
    }

    @Test
    void binaryAndNonUtf8FilesAreRefused() {
        assertEquals("not a text file: NUL byte in the first line", assertThrows(UnreadableFileException.class,
                () -> layoutOfFile(new byte[] {0x1f, (byte) 0x8b, 0, 1})).getMessage());
        assertEquals("not UTF-8 text: the first line does not decode", assertThrows(UnreadableFileException.class,
                () -> layoutOfFile(new byte[] {'s', (byte) 0xe9, ',', 'x', '\n'})).getMessage());
        assertEquals("file is empty", assertThrows(UnreadableFileException.class, () -> layoutOfFile(new byte[0]))
                .getMessage());
    }
}
