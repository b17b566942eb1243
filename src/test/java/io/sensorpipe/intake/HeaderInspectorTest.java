package io.sensorpipe.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sensorpipe.testdata.Csv;

class HeaderInspectorTest {

    @TempDir
    Path dir;

    private CsvLayout layoutOfFile(byte[] content) throws Exception {
        Path file = Files.write(dir.resolve("f.csv"), content);
        return HeaderInspector.layoutOf(HeaderInspector.readFirstLine(file, StandardCharsets.UTF_8));
    }

    @Test
    void bme280HeaderWithTwoPandasIndexColumnsMapsPastThem() throws Exception {
        CsvLayout layout = HeaderInspector.layoutOf(Csv.PANDAS_BME280_HEADER);
        assertEquals(Shape.BME280, layout.shape());
        assertEquals(2, layout.indexOf("sensor_id"));
        assertEquals(9, layout.indexOf("humidity"));
        assertEquals(10, layout.columnCount());
        assertEquals(-1, layout.indexOf("P1"));
    }

    @Test
    void particulateHeaderInAnotherOrderWithOneIndexColumn() throws Exception {
        CsvLayout layout = HeaderInspector.layoutOf(",timestamp,P2,P1,sensor_id,location,lat,lon");
        assertEquals(Shape.PARTICULATE, layout.shape());
        assertEquals(1, layout.indexOf("timestamp"));
        assertEquals(3, layout.indexOf("P1"));
        assertEquals(4, layout.indexOf("sensor_id"));
    }

    @Test
    void byteOrderMarkAndCrlfAreAccepted() throws Exception {
        CsvLayout layout = layoutOfFile(("\uFEFF" + Csv.BME280_HEADER + "\r\n1,2,3\r\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(Shape.BME280, layout.shape());
        assertEquals(Csv.BME280_HEADER, layout.headerLine());
    }

    @Test
    void missingAndUnknownColumnsAreNamedInTheReason() {
        UnreadableFileException e = assertThrows(UnreadableFileException.class,
                () -> HeaderInspector.layoutOf("sensor_id,location,lat,lon,timestamp,pressure,temperature,wind"));
        assertTrue(e.getMessage().contains("missing [humidity]"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown [wind]"), e.getMessage());
    }

    @Test
    void aColumnNamedTwiceIsRefused() {
        UnreadableFileException e = assertThrows(UnreadableFileException.class,
                () -> HeaderInspector.layoutOf(Csv.BME280_HEADER + ",humidity"));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void binaryAndNonUtf8FilesAreRefused() {
        assertTrue(assertThrows(UnreadableFileException.class, () -> layoutOfFile(new byte[] {0x1f, (byte) 0x8b, 0, 1}))
                .getMessage().startsWith("not a text file"));
        assertTrue(assertThrows(UnreadableFileException.class,
                () -> layoutOfFile(new byte[] {'s', (byte) 0xe9, ',', 'x', '\n'})).getMessage().startsWith("not UTF-8"));
        assertTrue(assertThrows(UnreadableFileException.class, () -> layoutOfFile(new byte[0]))
                .getMessage().contains("empty"));
    }
}
