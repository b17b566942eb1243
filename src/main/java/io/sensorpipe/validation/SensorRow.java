package io.sensorpipe.validation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sensorpipe.validation.constraints.ConformsToRules;

/**
 * One CSV row as text, by column name, with the rules it is checked against. Columns the file's
 * shape lacks are absent and pass unless required. The validator records each broken rule here, so
 * the quarantine can report what was expected and what was found.
 */
@RegisterForReflection
@ConformsToRules
public class SensorRow {

    /** By position in {@link RuleSet#COLUMNS}: a row is built for every line, so no map. */
    private final String[] values = new String[RuleSet.COLUMNS.size()];
    private final double[] parsed = new double[RuleSet.COLUMNS.size()];
    private final RuleSet rules;
    private final int columnCount;
    private final int expectedColumnCount;
    private final List<Breach> breaches = new ArrayList<>();
    private Instant timestamp;

    public SensorRow(RuleSet rules, int columnCount, int expectedColumnCount) {
        Arrays.fill(parsed, Double.NaN);
        this.rules = rules;
        this.columnCount = columnCount;
        this.expectedColumnCount = expectedColumnCount;
    }

    /** Sets the column at this position of {@link RuleSet#COLUMNS}. */
    public void putAt(int slot, String value) {
        values[slot] = value;
    }

    /** The trimmed text of a column, or null when the file has no such column. */
    public String value(String column) {
        return values[slot(column)];
    }

    /** The trimmed text of the column at this position of {@link RuleSet#COLUMNS}, or null. */
    public String valueAt(int slot) {
        return values[slot];
    }

    /** The reading at this position as the validator parsed it; NaN when it did not (blank, or not a number). */
    public double parsedAt(int slot) {
        return parsed[slot];
    }

    public void parsedAt(int slot, double value) {
        parsed[slot] = value;
    }

    /** The position of a column in {@link RuleSet#COLUMNS}. */
    public static int slot(String column) {
        return switch (column) {
            case "sensor_id" -> 0;
            case "location" -> 1;
            case "lat" -> 2;
            case "lon" -> 3;
            case "timestamp" -> 4;
            case "pressure" -> 5;
            case "temperature" -> 6;
            case "humidity" -> 7;
            case "P1" -> 8;
            case "P2" -> 9;
            default -> throw new IllegalArgumentException("unknown column " + column);
        };
    }

    /** The timestamp as the validator parsed it, so that it is parsed once; null before. */
    public Instant timestamp() {
        return timestamp;
    }

    public void timestamp(Instant parsed) {
        this.timestamp = parsed;
    }

    public RuleSet rules() {
        return rules;
    }

    public int columnCount() {
        return columnCount;
    }

    public int expectedColumnCount() {
        return expectedColumnCount;
    }

    public void breach(Breach breach) {
        breaches.add(breach);
    }

    public List<Breach> breaches() {
        return breaches;
    }
}
