package io.sensorpipe.sources;

/** A plausible range of a field, in the unit it is stored in. */
public record Range(double min, double max, String unit) {

    public String expected() {
        return number(min) + ".." + number(max)
                + (unit == null || unit.isEmpty() || unit.equals(Units.DIMENSIONLESS) ? "" : " " + unit);
    }

    public boolean contains(double stored) {
        return stored >= min && stored <= max;
    }

    static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
