package io.sensorpipe.validation;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sensorpipe.validation.constraints.IsoTimestamp;
import io.sensorpipe.validation.constraints.Reading;
import io.sensorpipe.validation.constraints.WholeNumber;

/**
 * One CSV row as text, with the default rules as constraints. Fields the file's shape lacks stay
 * null and pass. Pressure arrives in Pa; its range is checked in hPa.
 */
@RegisterForReflection
public class SensorRow {

    @NotBlank(message = "is required")
    @WholeNumber
    private String sensorId;

    @WholeNumber
    private String location;

    @Reading(min = -90, max = 90, unit = "degrees")
    private String lat;

    @Reading(min = -180, max = 180, unit = "degrees")
    private String lon;

    @NotBlank(message = "is required")
    @IsoTimestamp
    private String timestamp;

    @Reading(min = 300, max = 1100, scale = 0.01, unit = "hPa")
    private String pressure;

    @Reading(min = -50, max = 50, unit = "C")
    private String temperature;

    @Reading(min = 0, max = 100, unit = "%")
    private String humidity;

    @Reading(min = 0, max = 1000, unit = "ug/m3")
    private String p1;

    @Reading(min = 0, max = 1000, unit = "ug/m3")
    private String p2;

    private int columnCount;
    private int expectedColumnCount;

    @AssertTrue(message = "has another number of fields than the header")
    public boolean isColumns() {
        return columnCount == expectedColumnCount;
    }

    public String getSensorId() {
        return sensorId;
    }

    public void setSensorId(String sensorId) {
        this.sensorId = sensorId;
    }

    public String getLocation() {
        return location;
    }

    public void setLocation(String location) {
        this.location = location;
    }

    public String getLat() {
        return lat;
    }

    public void setLat(String lat) {
        this.lat = lat;
    }

    public String getLon() {
        return lon;
    }

    public void setLon(String lon) {
        this.lon = lon;
    }

    public String getTimestamp() {
        return timestamp;
    }

    public void setTimestamp(String timestamp) {
        this.timestamp = timestamp;
    }

    public String getPressure() {
        return pressure;
    }

    public void setPressure(String pressure) {
        this.pressure = pressure;
    }

    public String getTemperature() {
        return temperature;
    }

    public void setTemperature(String temperature) {
        this.temperature = temperature;
    }

    public String getHumidity() {
        return humidity;
    }

    public void setHumidity(String humidity) {
        this.humidity = humidity;
    }

    public String getP1() {
        return p1;
    }

    public void setP1(String p1) {
        this.p1 = p1;
    }

    public String getP2() {
        return p2;
    }

    public void setP2(String p2) {
        this.p2 = p2;
    }

    public int getColumnCount() {
        return columnCount;
    }

    public void setColumnCount(int columnCount) {
        this.columnCount = columnCount;
    }

    public int getExpectedColumnCount() {
        return expectedColumnCount;
    }

    public void setExpectedColumnCount(int expectedColumnCount) {
        this.expectedColumnCount = expectedColumnCount;
    }
}
