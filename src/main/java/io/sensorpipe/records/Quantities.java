package io.sensorpipe.records;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The quantities a {@link SensorReading}'s values are held by, in order, each with the number of decimals
 * it is stored to: the configured quantities in the order the sources files declare them (the catalogue
 * builds this; nothing in the code names a quantity).
 */
public final class Quantities {

    private final String[] names;
    private final int[] decimals;
    private final Map<String, Integer> index = new HashMap<>();

    private Quantities(String[] names, int[] decimals) {
        this.names = names;
        this.decimals = decimals;
        for (int i = 0; i < names.length; i++) {
            index.put(names[i], i);
        }
    }

    /** These quantities, in this order, each stored to the decimals at its position. */
    public static Quantities of(List<String> names, int[] decimals) {
        if (names.size() != decimals.length) {
            throw new IllegalArgumentException(names.size() + " names but " + decimals.length + " decimals");
        }
        return new Quantities(names.toArray(String[]::new), decimals.clone());
    }

    public int count() {
        return names.length;
    }

    public String name(int q) {
        return names[q];
    }

    /** Fraction digits kept of the quantity at this position. */
    public int decimals(int q) {
        return decimals[q];
    }

    /** The position of the quantity of this name, or -1. */
    public int indexOf(String name) {
        Integer q = index.get(name);
        return q == null ? -1 : q;
    }

    /** Values for a reading of none of them: every one absent. */
    public double[] none() {
        double[] values = new double[names.length];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    public List<String> names() {
        return List.of(names);
    }

    @Override
    public String toString() {
        return Arrays.toString(names);
    }
}
