package io.sensorpipe.sources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.sources.Units.Conversion;

/**
 * The rules every source starts from, read from configuration ({@code pipeline.rules.*}) and checked
 * once at start-up: the rule set's version (stamped on every rejection), the fields a row must have,
 * the timestamp formats, the coordinates' plausible ranges, and ranges that replace a quantity's
 * declared one (checked against the quantity by {@link SourceCatalog}). A source may narrow or widen
 * them in its own entry. A rule that makes no sense stops the application with every problem listed.
 */
public final class RuleSet {

    private final String version;
    private final List<String> required;
    private final List<String> timestampFormats;
    private final Range[] rangeAt;
    private final Map<String, PipelineConfig.Rules.Range> quantityRanges;

    private RuleSet(String version, List<String> required, List<String> timestampFormats, Range[] rangeAt,
            Map<String, PipelineConfig.Rules.Range> quantityRanges) {
        this.version = version;
        this.required = required;
        this.timestampFormats = timestampFormats;
        this.rangeAt = rangeAt;
        this.quantityRanges = quantityRanges;
    }

    /** Builds and checks the rules; throws {@link IllegalArgumentException} naming every bad rule. */
    public static RuleSet from(PipelineConfig.Rules rules) {
        List<String> problems = new ArrayList<>();
        if (rules.version().isBlank()) {
            problems.add("pipeline.rules.version is blank");
        }
        Set<String> required = new LinkedHashSet<>();
        for (String column : rules.required()) {
            required.add(column.trim()); // a field or a quantity: SourceCatalog knows the quantities
        }
        for (String format : rules.timestampFormats()) {
            String problem = TimestampSpec.problemWith(format);
            if (problem != null) {
                problems.add("pipeline.rules.timestamp-formats: " + problem);
            }
        }
        Range[] ranges = new Range[Field.count()];
        Map<String, PipelineConfig.Rules.Range> quantityRanges = new LinkedHashMap<>();
        for (Map.Entry<String, PipelineConfig.Rules.Range> e : rules.range().entrySet()) {
            String key = "pipeline.rules.range." + e.getKey();
            PipelineConfig.Rules.Range r = e.getValue();
            Field field = Field.byKey(e.getKey());
            if (field != null && !field.isNumeric()) {
                problems.add(key + ": '" + e.getKey() + "' is not a numeric field (numeric: "
                        + Field.keys(Field.Kind.COORDINATE) + " and the quantities)");
                continue;
            }
            if (!Double.isFinite(r.min()) || !Double.isFinite(r.max()) || r.min() > r.max()) {
                problems.add(key + ": min " + r.min() + " must be a number not above max " + r.max());
                continue;
            }
            if (r.unit().isEmpty()) {
                problems.add(key + ".unit is missing: a range says its unit");
                continue;
            }
            if (field == null) {
                quantityRanges.put(e.getKey(), r);
                continue;
            }
            Conversion c = Units.conversion(r.unit().get(), field.storedUnit());
            if (c == null) {
                problems.add(key + ".unit: no conversion from '" + r.unit().get() + "' to " + field.storedUnit()
                        + " (known: " + Units.accepted(field.storedUnit()) + ")");
                continue;
            }
            ranges[field.ordinal()] = new Range(c.applyExactly(r.min()), c.applyExactly(r.max()), field.storedUnit());
        }
        for (Field field : Field.values()) {
            if (field.isNumeric() && ranges[field.ordinal()] == null && !rules.range().containsKey(field.key())) {
                problems.add("pipeline.rules.range." + field.key() + " is missing: every numeric field needs min and max");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid validation rules (" + problems.size() + "): "
                    + String.join("; ", problems));
        }
        return new RuleSet(rules.version(), List.copyOf(required), List.copyOf(rules.timestampFormats()), ranges,
                Map.copyOf(quantityRanges));
    }

    public String version() {
        return version;
    }

    /** Fields a source requires unless it says otherwise. */
    public List<String> required() {
        return required;
    }

    /** Timestamp formats of a source whose timestamp column does not name its own. */
    public List<String> timestampFormats() {
        return timestampFormats;
    }

    /** The plausible range of a coordinate, in its stored unit. */
    public Range range(Field field) {
        return rangeAt[field.ordinal()];
    }

    /**
     * Ranges configured for quantities ({@code pipeline.rules.range.<quantity>}), by name, as written:
     * each replaces the quantity's declared range once converted to its stored unit.
     */
    Map<String, PipelineConfig.Rules.Range> quantityRanges() {
        return quantityRanges;
    }
}
