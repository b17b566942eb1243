package io.sensorpipe.sources;

/**
 * A quantity configured beyond the five {@link Field}s have columns for (carbon monoxide, nitrogen
 * dioxide, …): stored in {@code reading_value} under its name, in its unit, to the thousandth, and
 * aggregated like the others.
 *
 * @param name  as configured and stored: lower-case letters, digits and '_'
 * @param unit  the unit it is stored in
 * @param range its plausible range, in that unit
 */
public record ExtraQuantity(String name, String unit, Range range) {

    /** Fraction digits kept, as for the readings of {@link Field}. */
    public static final int DECIMALS = io.sensorpipe.records.SensorReading.READING_DECIMALS;
}
