package io.sensorpipe.testdata;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Writes Sofia-shaped bme280 files: {@code sensors} sensors reporting every 150 s, interleaved in
 * time order as in the real monthly files, with pressure in Pa and float noise on the coordinates.
 * Every {@code invalidEvery}-th row breaks one rule (cycling through range, numeric, required and
 * timestamp mutations), so the expected outcome is known exactly.
 */
public final class SyntheticSensorFile {

    /** What the pipeline must make of the file. */
    public record Expected(long rowsTotal, long rowsInvalid) {
        public long rowsValid() {
            return rowsTotal - rowsInvalid;
        }
    }

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final Instant START = Instant.parse("2017-07-01T00:00:00Z");

    private final int sensors;
    private final long rows;
    private final int invalidEvery;
    private final int indexColumns;
    private final long seed;

    /**
     * @param rows         data rows in all
     * @param invalidEvery every n-th row is invalid; 0 for none
     * @param indexColumns leading index columns as pandas writes them: 0, 1 or 2
     */
    public SyntheticSensorFile(int sensors, long rows, int invalidEvery, int indexColumns, long seed) {
        this.sensors = sensors;
        this.rows = rows;
        this.invalidEvery = invalidEvery;
        this.indexColumns = indexColumns;
        this.seed = seed;
    }

    public Expected writeTo(Path file) throws IOException {
        // Logged before anything is asserted about the file: the seed makes it again.
        org.jboss.logging.Logger.getLogger(SyntheticSensorFile.class).infof("%s: %d sensors, %d rows, invalid every %d,"
                + " %d index columns, seed %d", file.getFileName(), sensors, rows, invalidEvery, indexColumns, seed);
        Random random = new Random(seed);
        long invalid = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(indexColumns == 0 ? Csv.BME280_HEADER
                    : indexColumns == 1 ? "," + Csv.BME280_HEADER : Csv.PANDAS_BME280_HEADER);
            out.write('\n');
            for (long i = 0; i < rows; i++) {
                int sensor = (int) (i % sensors);
                long sensorId = 1000 + sensor * 7L;
                Instant time = START.plusSeconds((i / sensors) * 150 + sensor);
                String lat = Double.toString(42.6 + sensor * 0.001 + 3e-15);
                String lon = Double.toString(23.3 + sensor * 0.001);
                String timestamp = TIMESTAMP.format(LocalDateTime.ofInstant(time, ZoneOffset.UTC));
                String pressure = String.format(Locale.ROOT, "%.2f", Math.min(109_000, Math.max(31_000,
                        93000 + random.nextGaussian() * 800)));
                // Clamped inside the plausible range: only the mutations below may break a rule.
                String temperature = String.format(Locale.ROOT, "%.2f", Math.min(45, Math.max(-45,
                        24 + random.nextGaussian() * 6)));
                String humidity = String.format(Locale.ROOT, "%.2f", Math.min(100, Math.max(0,
                        50 + random.nextGaussian() * 15)));
                String id = Long.toString(sensorId);
                if (invalidEvery > 0 && i % invalidEvery == invalidEvery - 1) {
                    invalid++;
                    switch ((int) ((i / invalidEvery) % 5)) {
                        case 0 -> temperature = "-145.12";
                        case 1 -> humidity = "100.5";
                        case 2 -> pressure = "n/a";
                        case 3 -> id = "";
                        default -> timestamp = "2017-02-30T10:00:00";
                    }
                }
                if (indexColumns >= 1) {
                    out.write(Long.toString(i));
                    out.write(',');
                }
                if (indexColumns == 2) {
                    out.write(Long.toString(i));
                    out.write(',');
                }
                out.write(String.join(",", id, Long.toString(5000 + sensor), lat, lon, timestamp, pressure,
                        temperature, humidity));
                out.write('\n');
            }
        }
        return new Expected(rows, invalid);
    }
}
