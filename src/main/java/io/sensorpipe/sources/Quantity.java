package io.sensorpipe.sources;

/**
 * A quantity declared under {@code quantities:} at the top of a sources file (the shipped one declares
 * Sofia's pressure, temperature, humidity, PM10 and PM2.5): stored in its unit, to its decimals, in a
 * column of {@code reading} of its own or else in {@code reading_value} under its name, and aggregated
 * under its stored name.
 *
 * @param name         as configured: lower-case letters, digits and '_'
 * @param unit         the unit it is stored in
 * @param range        its plausible range, in that unit ({@code pipeline.rules.range.<name>} may replace it)
 * @param decimals     fraction digits kept
 * @param readingColumn the column of {@code reading} it is stored in; null for {@code reading_value}
 */
public record Quantity(String name, String unit, Range range, int decimals, String readingColumn) {

    /** Fraction digits kept unless a declaration says otherwise: to the thousandth. */
    public static final int DEFAULT_DECIMALS = 3;

    /** The name its values and metrics are stored under: its {@code reading} column's, or its own. */
    public String storedName() {
        return readingColumn != null ? readingColumn : name;
    }

    Quantity withRange(Range range) {
        return new Quantity(name, unit, range, decimals, readingColumn);
    }
}
