package io.sensorpipe.sources;

import java.util.Locale;

import io.sensorpipe.records.SensorReading;

/**
 * What every stored reading holds besides its quantities, in the order the reports list them: who
 * measured, where and when. A source says where each comes from in its files. The quantities follow
 * these in a source's slots; they are configuration ({@link Quantity}).
 */
public enum Field {
    SENSOR_ID(Kind.IDENTIFIER, null, 0),
    LOCATION(Kind.IDENTIFIER, null, 0),
    LAT(Kind.COORDINATE, "degrees", SensorReading.COORDINATE_DECIMALS),
    LON(Kind.COORDINATE, "degrees", SensorReading.COORDINATE_DECIMALS),
    TIMESTAMP(Kind.TIME, null, 0);

    /** What sort of value a field holds, which decides how it is checked. */
    public enum Kind {
        /** A whole number naming something. */
        IDENTIFIER,
        /** A decimal number of degrees. */
        COORDINATE,
        /** An instant. */
        TIME,
        /** A measured decimal number with a unit: a configured {@link Quantity}, not a field. */
        QUANTITY
    }

    private static final Field[] ALL = values();

    private final Kind kind;
    private final String storedUnit;
    private final int decimals;
    private final String key;

    Field(Kind kind, String storedUnit, int decimals) {
        this.kind = kind;
        this.storedUnit = storedUnit;
        this.decimals = decimals;
        this.key = name().toLowerCase(Locale.ROOT);
    }

    /** The name configuration uses: {@code sensor_id}, {@code timestamp}, … */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the field holds a decimal number with a unit and a range (coordinates and quantities). */
    public boolean isNumeric() {
        return kind == Kind.COORDINATE || kind == Kind.QUANTITY;
    }

    /** The unit the field is stored in; null for identifiers and the timestamp. */
    public String storedUnit() {
        return storedUnit;
    }

    /** Fraction digits kept: coordinates to about 0.1 m. */
    public int decimals() {
        return decimals;
    }

    public static int count() {
        return ALL.length;
    }

    public static Field at(int slot) {
        return ALL[slot];
    }

    /** The field with this configuration name, or null. */
    public static Field byKey(String key) {
        for (Field f : ALL) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        return null;
    }

    public static java.util.List<String> keys() {
        return java.util.Arrays.stream(ALL).map(Field::key).toList();
    }

    public static java.util.List<String> keys(Kind... kinds) {
        java.util.Set<Kind> wanted = java.util.Set.of(kinds);
        return java.util.Arrays.stream(ALL).filter(f -> wanted.contains(f.kind)).map(Field::key).toList();
    }
}
