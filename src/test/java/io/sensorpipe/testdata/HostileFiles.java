package io.sensorpipe.testdata;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Inputs that push at the pipeline's bounds: compression bombs, very long rows, very wide rows and headers. */
public final class HostileFiles {

    private HostileFiles() {
    }

    /** A row that breaks one rule (temperature far out of range). */
    public static String rejectedRow(long sensor, int i) {
        return sensor + ",1025,42.686,23.351,2017-07-01T00:00:" + String.format("%02d", i % 60) + ",94000,999.0,50.0";
    }

    /** {@code count} valid bme280 rows after the header. */
    public static String rows(long sensor, int count) {
        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < count; i++) {
            csv.append(Csv.bme280Row(sensor, i)).append('\n');
        }
        return csv.toString();
    }

    /** Gzip of {@code header} then {@code row} repeated until about {@code bytes} of content. */
    public static Path gzip(Path file, String header, String row, long bytes) throws IOException {
        byte[] line = (row + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] block = new byte[line.length * (65_536 / line.length)];
        for (int i = 0; i < block.length; i += line.length) {
            System.arraycopy(line, 0, block, i, line.length);
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 65_536)) {
            out.write((header + "\n").getBytes(StandardCharsets.UTF_8));
            for (long written = 0; written < bytes; written += block.length) {
                out.write(block);
            }
        }
        return file;
    }

    /** 20 valid rows, four rows of 600,000 characters each (rejected: the temperature is not a number), one valid. */
    public static Path longRows(Path file, long sensor) throws IOException {
        try (Writer out = new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8)) {
            out.write(rows(sensor, 20));
            String cell = "9".repeat(600_000);
            for (int i = 0; i < 4; i++) {
                out.write(sensor + "," + (1000 + sensor) + ",42.686,23.351,2017-07-01T01:00:0" + i + ",94000," + cell
                        + ",50.0\n");
            }
            out.write(Csv.bme280Row(sensor, 30) + "\n");
        }
        return file;
    }

    /** 10 valid rows, then {@code wide} rows of 10,000 fields each. */
    public static Path wideRows(Path file, long sensor, int wide) throws IOException {
        String fields = ",1".repeat(9_992);
        try (Writer out = new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8)) {
            out.write(rows(sensor, 10));
            for (int i = 0; i < wide; i++) {
                out.write(Csv.bme280Row(sensor, 100 + i) + fields + "\n");
            }
        }
        return file;
    }

    /** A header of the bme280 columns and 9,000 more, then one row. */
    public static Path wideHeader(Path file, long sensor) throws IOException {
        StringBuilder columns = new StringBuilder(Csv.BME280_HEADER);
        for (int i = 0; i < 9_000; i++) {
            columns.append(",c").append(i);
        }
        Files.writeString(file, columns + "\n" + Csv.bme280Row(sensor, 1) + "\n");
        return file;
    }
}
