package io.sensorpipe.sources;

import java.util.Locale;

import io.sensorpipe.records.SensorReading;

/**
 * What a stored reading holds, in the order the reports list them. A source says where each comes
 * from in its files; the quantities are stored in the unit given here, to the decimals given here.
 */
public enum Field {
    SENSOR_ID(Kind.IDENTIFIER, null, 0),
    LOCATION(Kind.IDENTIFIER, null, 0),
    LAT(Kind.COORDINATE, "degrees", SensorReading.COORDINATE_DECIMALS),
    LON(Kind.COORDINATE, "degrees", SensorReading.COORDINATE_DECIMALS),
    TIMESTAMP(Kind.TIME, null, 0),
    PRESSURE(Kind.QUANTITY, "hPa", SensorReading.PRESSURE_DECIMALS),
    TEMPERATURE(Kind.QUANTITY, "C", SensorReading.READING_DECIMALS),
    HUMIDITY(Kind.QUANTITY, "%", SensorReading.READING_DECIMALS),
    PM10(Kind.QUANTITY, "ug/m3", SensorReading.READING_DECIMALS),
    PM25(Kind.QUANTITY, "ug/m3", SensorReading.READING_DECIMALS);

    /** What sort of value a field holds, which decides how it is checked. */
    public enum Kind {
        /** A whole number naming something. */
        IDENTIFIER,
        /** A decimal number of degrees. */
        COORDINATE,
        /** An instant. */
        TIME,
        /** A measured decimal number with a unit. */
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

    /** The name configuration uses: {@code sensor_id}, {@code pm25}, … */
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

    /** Fraction digits kept: coordinates to about 0.1 m, pressure to 0.01 Pa, the rest to 0.001. */
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
