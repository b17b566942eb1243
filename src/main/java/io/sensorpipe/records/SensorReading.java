package io.sensorpipe.records;

import java.time.Instant;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A validated, standardised row as it travels through Kafka: SI-ish units (hPa, degrees C, %,
 * ug/m3), UTC time, and tags saying where it came from. Absent quantities are null.
 *
 * @param fileId    {@code ingest_file.id} of the source file
 * @param line      physical line in the source file (header = 1)
 * @param fileName  tag: the source file's name
 * @param source    tag: the name of the configured source the file was read as
 * @param raw       the line as it stands in the file, for the quarantine should the database refuse the row
 * @param extra     the quantities configured beyond the five above, by name, in their stored units
 *                  ({@code reading_value}); empty for most sources
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
        Double pressureHpa,
        Double temperatureC,
        Double humidityPct,
        Double pm10Ugm3,
        Double pm25Ugm3,
        String raw,
        Map<String, Double> extra) {

    public SensorReading {
        extra = extra == null || extra.isEmpty() ? Map.of() : extra;
    }

    /** A reading of the five quantities only. */
    public SensorReading(long fileId, long line, String fileName, String source, long sensorId, Long locationId,
            Double lat, Double lon, Instant measuredAt, Double pressureHpa, Double temperatureC, Double humidityPct,
            Double pm10Ugm3, Double pm25Ugm3, String raw) {
        this(fileId, line, fileName, source, sensorId, locationId, lat, lon, measuredAt, pressureHpa, temperatureC,
                humidityPct, pm10Ugm3, pm25Ugm3, raw, Map.of());
    }

    /** Decimals kept per column: coordinates to about 0.1 m, pressure to 0.01 Pa, the rest to 0.001. */
    public static final int COORDINATE_DECIMALS = 6;
    public static final int PRESSURE_DECIMALS = 4;
    public static final int READING_DECIMALS = 3;

}
