package io.sensorpipe.sources;

import java.util.List;
import java.util.regex.Pattern;

import io.sensorpipe.sources.Units.Conversion;

/**
 * One kind of input file, as configured (see {@link SourceCatalog}): how its files are recognised
 * and written, where each stored field comes from, what unit each reading arrives in and which rules
 * it meets. Everything a row needs is held by slot (the {@link Field}s, then the catalogue's quantities):
 * it is looked up for every field of every row.
 */
public final class Source {

    /** Where a field's value comes from. */
    public enum Origin {
        /** A column of the file, by name. */
        COLUMN,
        /** The same value for every row of every file. */
        CONSTANT,
        /** A named group of the source's file-name pattern. */
        FILE_NAME
    }

    /** A field's origin and its column name, constant or group name. */
    public record From(Origin origin, String value) {
    }

    private final String name;
    private final String version;
    private final Dialect dialect;
    private final Pattern fileName;
    private final List<String> columns;
    private final From[] from;
    private final String dateColumn;
    private final String timeColumn;
    private final TimestampSpec timestamp;
    private final boolean[] required;
    private final Range[] range;
    private final Conversion[] conversion;
    private final int[] decimalShift;
    private final Sentinels[] missing;
    private final String[] fieldName;
    private final List<Quantity> quantities;

    Source(String name, String version, Dialect dialect, Pattern fileName, List<String> columns, From[] from,
            String dateColumn, String timeColumn, TimestampSpec timestamp, boolean[] required, Range[] range,
            Conversion[] conversion, Sentinels[] missing, List<Quantity> quantities) {
        this.name = name;
        this.version = version;
        this.dialect = dialect;
        this.fileName = fileName;
        this.columns = List.copyOf(columns);
        this.from = from;
        this.dateColumn = dateColumn;
        this.timeColumn = timeColumn;
        this.timestamp = timestamp;
        this.required = required;
        this.range = range;
        this.conversion = conversion;
        this.missing = missing;
        this.quantities = quantities;
        this.decimalShift = new int[from.length];
        this.fieldName = new String[from.length];
        for (int slot = 0; slot < from.length; slot++) {
            decimalShift[slot] = conversion[slot] == null ? -1 : conversion[slot].decimalShift();
            From f = from[slot];
            fieldName[slot] = f != null && f.origin() == Origin.COLUMN ? f.value() : key(slot);
        }
        if (dateColumn != null) {
            fieldName[Field.TIMESTAMP.ordinal()] = dateColumn + "+" + timeColumn;
        }
    }

    public String name() {
        return name;
    }

    /**
     * How many fields a row of any source can have: the {@link Field}s, then the declared
     * {@link Quantity quantities} in the catalogue's order.
     */
    public int slots() {
        return from.length;
    }

    /** The kind of the field at this position. */
    public Field.Kind kind(int slot) {
        return slot < Field.count() ? Field.at(slot).kind() : Field.Kind.QUANTITY;
    }

    /** The configuration (and stored) name of the field at this position. */
    public String key(int slot) {
        return slot < Field.count() ? Field.at(slot).key() : quantities.get(slot - Field.count()).name();
    }

    /** The unit the field at this position is stored in; null for identifiers and the timestamp. */
    public String storedUnit(int slot) {
        return slot < Field.count() ? Field.at(slot).storedUnit() : quantities.get(slot - Field.count()).unit();
    }

    /** Fraction digits kept of the field at this position. */
    public int decimals(int slot) {
        return slot < Field.count() ? Field.at(slot).decimals() : quantities.get(slot - Field.count()).decimals();
    }

    /** Stamped on every report of a file this source read, with the rule set's version. */
    public String version() {
        return version;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The file-name pattern a file must match, or null when any name will do. */
    public Pattern fileName() {
        return fileName;
    }

    /** Every column the header must name (in any order), read or ignored. */
    public List<String> columns() {
        return columns;
    }

    /** Where the field at this position of {@link Field} comes from; null when the source lacks it. */
    public From from(int slot) {
        return from[slot];
    }

    /** The date column when the timestamp is a date and a time in two columns; null otherwise. */
    public String dateColumn() {
        return dateColumn;
    }

    public String timeColumn() {
        return timeColumn;
    }

    public TimestampSpec timestamp() {
        return timestamp;
    }

    public boolean isRequired(int slot) {
        return required[slot];
    }

    /** The range in the stored unit of the numeric field at this position; null for others. */
    public Range range(int slot) {
        return range[slot];
    }

    /** From the unit the field arrives in to the one it is stored in; null for non-numeric fields. */
    public Conversion conversion(int slot) {
        return conversion[slot];
    }

    /** {@link Conversion#decimalShift()} of the field's conversion; -1 for non-numeric fields. */
    public int decimalShift(int slot) {
        return decimalShift[slot];
    }

    /** Whether this text, as written in the file (trimmed), means the reading is missing: see {@link Sentinels}. */
    public boolean isMissing(int slot, String text) {
        Sentinels sentinels = missing[slot];
        return sentinels != null && sentinels.matches(text);
    }

    /** The quantity's "no reading" sentinels; null when it has none. */
    public Sentinels missing(int slot) {
        return missing[slot];
    }

    /** The name the reports give the field: its column's, or the stored field's when it has no column. */
    public String fieldName(int slot) {
        return fieldName[slot];
    }

    @Override
    public String toString() {
        return name + " " + version;
    }
}
