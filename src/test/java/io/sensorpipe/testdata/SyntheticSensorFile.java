package io.sensorpipe.testdata;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sensorpipe.loadgen.SofiaRows;

/**
 * A Sofia-shaped bme280 file written by the load generator's {@link SofiaRows} (the same rows
 * {@code bin/loadgen} sends): every {@code invalidEvery}-th row breaks one rule, so the expected outcome
 * is known exactly.
 */
public final class SyntheticSensorFile {

    /** What the pipeline must make of the file. */
    public record Expected(long rowsTotal, long rowsInvalid) {
        public long rowsValid() {
            return rowsTotal - rowsInvalid;
        }
    }

    private final SofiaRows rows;
    private final String description;

    /**
     * @param rows         data rows in all
     * @param invalidEvery every n-th row is invalid; 0 for none
     * @param indexColumns leading index columns as pandas writes them: 0, 1 or 2
     */
    public SyntheticSensorFile(int sensors, long rows, int invalidEvery, int indexColumns, long seed) {
        this.rows = new SofiaRows(sensors, rows, invalidEvery, indexColumns, seed);
        this.description = String.format("%d sensors, %d rows, invalid every %d, %d index columns, seed %d", sensors,
                rows, invalidEvery, indexColumns, seed);
    }

    public Expected writeTo(Path file) throws IOException {
        // Logged before anything is asserted about the file: the seed makes it again.
        org.jboss.logging.Logger.getLogger(SyntheticSensorFile.class).infof("%s: %s", file.getFileName(), description);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            SofiaRows.Expected expected = rows.writeTo(out);
            return new Expected(expected.rowsTotal(), expected.rowsInvalid());
        }
    }
}
