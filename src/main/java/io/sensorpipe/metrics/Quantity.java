package io.sensorpipe.metrics;

import java.util.function.Function;

import io.sensorpipe.records.SensorReading;

/** The five quantities with columns of their own, named as their {@code reading} columns. */
public enum Quantity {
    PRESSURE_HPA("pressure_hpa", SensorReading::pressureHpa),
    TEMPERATURE_C("temperature_c", SensorReading::temperatureC),
    HUMIDITY_PCT("humidity_pct", SensorReading::humidityPct),
    PM10_UGM3("pm10_ugm3", SensorReading::pm10Ugm3),
    PM25_UGM3("pm25_ugm3", SensorReading::pm25Ugm3);

    private final String column;
    private final Function<SensorReading, Double> value;

    Quantity(String column, Function<SensorReading, Double> value) {
        this.column = column;
        this.value = value;
    }

    public String column() {
        return column;
    }

    public Double of(SensorReading reading) {
        return value.apply(reading);
    }
}
