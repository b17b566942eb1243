package io.sensorpipe.records;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A validated, standardised row as it travels through Kafka: its quantities in their stored units, UTC
 * time, and tags saying where it came from.
 *
 * @param fileId    {@code ingest_file.id} of the source file
 * @param line      physical line in the source file (header = 1)
 * @param fileName  tag: the source file's name
 * @param source    tag: the name of the configured source the file was read as
 * @param values    the value of each configured quantity by its position in the {@link Quantities}, in its
 *                  stored unit; {@code NaN} where the reading has none
 * @param raw       the line as it stands in the file, for the quarantine should the database refuse the row
 */
@RegisterForReflection
public record SensorReading(
        long fileId,
        long line,
        String fileName,
        String source,
        long sensorId,
        Long locationId,
        Double lat,
        Double lon,
        Instant measuredAt,
        double[] values,
        String raw) {

    /** Decimals kept of a coordinate: about 0.1 m. */
    public static final int COORDINATE_DECIMALS = 6;

    /** The value of the quantity at position {@code q}, or null when the reading has none. */
    public Double value(int q) {
        double v = values[q];
        return Double.isNaN(v) ? null : v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorReading r && fileId == r.fileId && line == r.line && sensorId == r.sensorId
                && Objects.equals(fileName, r.fileName) && Objects.equals(source, r.source)
                && Objects.equals(locationId, r.locationId) && Objects.equals(lat, r.lat) && Objects.equals(lon, r.lon)
                && Objects.equals(measuredAt, r.measuredAt) && Arrays.equals(values, r.values)
                && Objects.equals(raw, r.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fileId, line, sensorId, measuredAt) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SensorReading[fileId=" + fileId + ", line=" + line + ", fileName=" + fileName + ", source=" + source
                + ", sensorId=" + sensorId + ", locationId=" + locationId + ", lat=" + lat + ", lon=" + lon
                + ", measuredAt=" + measuredAt + ", values=" + Arrays.toString(values) + ", raw=" + raw + "]";
    }
}
