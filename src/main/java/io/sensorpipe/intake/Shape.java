package io.sensorpipe.intake;

import java.util.List;

/** The input shapes of the Sofia data set that the pipeline accepts, by their named columns. */
public enum Shape {
    BME280(List.of("sensor_id", "location", "lat", "lon", "timestamp", "pressure", "temperature", "humidity")),
    PARTICULATE(List.of("sensor_id", "location", "lat", "lon", "timestamp", "P1", "P2"));

    private final List<String> columns;
    private final String tag;

    Shape(List<String> columns) {
        this.columns = columns;
        this.tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    public List<String> columns() {
        return columns;
    }

    public String tag() {
        return tag;
    }
}
