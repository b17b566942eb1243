package io.sensorpipe.loadgen;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Sofia-shaped bme280 files: {@code sensors} sensors reporting every 150 s, interleaved in time order as
 * in the real monthly files, with pressure in Pa and float noise on the coordinates. Every
 * {@code invalidEvery}-th row breaks exactly one rule (cycling through range, numeric, required and
 * timestamp mutations), so what the pipeline must make of a file is known exactly. The same seed writes
 * the same file. Used by {@code bin/loadgen}, the tests and the benchmark.
 */
public final class SofiaRows {

    public static final String HEADER = "sensor_id,location,lat,lon,timestamp,pressure,temperature,humidity";
    /** The header pandas writes for the same data: two index columns. */
    public static final String PANDAS_HEADER = ",Unnamed: 0," + HEADER;

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
    public SofiaRows(int sensors, long rows, int invalidEvery, int indexColumns, long seed) {
        this.sensors = sensors;
        this.rows = rows;
        this.invalidEvery = invalidEvery;
        this.indexColumns = indexColumns;
        this.seed = seed;
    }

    /** Every n-th row invalid for a share of invalid rows (0 for none). */
    public static int invalidEvery(double share) {
        return share <= 0 ? 0 : (int) Math.max(1, Math.round(1 / share));
    }

    public Expected writeTo(Writer out) throws IOException {
        Random random = new Random(seed);
        long invalid = 0;
        out.write(indexColumns == 0 ? HEADER : indexColumns == 1 ? "," + HEADER : PANDAS_HEADER);
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
            for (int c = 0; c < indexColumns; c++) {
                out.write(Long.toString(i));
                out.write(',');
            }
            out.write(String.join(",", id, Long.toString(5000 + sensor), lat, lon, timestamp, pressure,
                    temperature, humidity));
            out.write('\n');
        }
        return new Expected(rows, invalid);
    }
}
