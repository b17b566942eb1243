package io.sensorpipe.validation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private final Map<String, String> values = new HashMap<>();
    private final RuleSet rules;
    private final int columnCount;
    private final int expectedColumnCount;
    private final List<Breach> breaches = new ArrayList<>();
    private Instant timestamp;

    public SensorRow(RuleSet rules, int columnCount, int expectedColumnCount) {
        this.rules = rules;
        this.columnCount = columnCount;
        this.expectedColumnCount = expectedColumnCount;
    }

    public void put(String column, String value) {
        values.put(column, value);
    }

    /** The trimmed text of a column, or null when the file has no such column. */
    public String value(String column) {
        return values.get(column);
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
