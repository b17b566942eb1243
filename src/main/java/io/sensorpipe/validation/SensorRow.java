package io.sensorpipe.validation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

import io.sensorpipe.sources.Field;
import io.sensorpipe.sources.Source;

/**
 * One CSV row as text, by stored field, with the source whose rules it is checked against. Fields the
 * source lacks are absent and pass unless required. The validator records each broken rule here, so
 * the quarantine can report what was expected and what was found.
 */
@RegisterForReflection
@ConformsToRules
public class SensorRow {

    /** By position ({@link Source#slots()}): a row is built for every line, so no map. */
    private final String[] values;
    private final double[] parsed;
    private final Source source;
    private final int columnCount;
    private final int expectedColumnCount;
    private final List<Breach> breaches = new ArrayList<>();
    private Instant timestamp;

    public SensorRow(Source source, int columnCount, int expectedColumnCount) {
        values = new String[source.slots()];
        parsed = new double[source.slots()];
        Arrays.fill(parsed, Double.NaN);
        this.source = source;
        this.columnCount = columnCount;
        this.expectedColumnCount = expectedColumnCount;
    }

    /** Sets the field at this position of {@link Field}. */
    public void putAt(int slot, String value) {
        values[slot] = value;
    }

    /** The trimmed text of a field, or null when the file has no such field. */
    public String value(Field field) {
        return values[field.ordinal()];
    }

    /** The trimmed text of the field at this position of {@link Field}, or null. */
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

    /** The timestamp as the validator parsed it, so that it is parsed once; null before. */
    public Instant timestamp() {
        return timestamp;
    }

    public void timestamp(Instant parsed) {
        this.timestamp = parsed;
    }

    public Source source() {
        return source;
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
