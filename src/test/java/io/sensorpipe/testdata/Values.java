package io.sensorpipe.testdata;

import io.sensorpipe.records.Quantities;
import io.sensorpipe.sources.Field;

/** A reading's values by quantity name, placed as the shipped configuration's quantities place them. */
public final class Values {

    /** The quantities of the shipped configuration, in the order a reading's values are placed by. */
    public static final Quantities SHIPPED = TestConfig.sources().order();

    private Values() {
    }

    /** Values from name and value pairs ({@code "temperature", 20.5, …}); a null value, or a quantity not named, is absent. */
    public static double[] of(Object... nameThenValue) {
        return in(SHIPPED, nameThenValue);
    }

    /** The same, placed by these quantities. */
    public static double[] in(Quantities quantities, Object... nameThenValue) {
        double[] values = quantities.none();
        for (int i = 0; i < nameThenValue.length; i += 2) {
            int q = position(quantities, (String) nameThenValue[i]);
            if (nameThenValue[i + 1] != null) {
                values[q] = ((Number) nameThenValue[i + 1]).doubleValue();
            }
        }
        return values;
    }

    /** The position of a shipped quantity among a reading's values. */
    public static int at(String quantity) {
        return position(SHIPPED, quantity);
    }

    /** The slot of a shipped quantity in a source's row: after the {@link Field}s. */
    public static int slot(String quantity) {
        return Field.count() + at(quantity);
    }

    private static int position(Quantities quantities, String name) {
        int q = quantities.indexOf(name);
        if (q < 0) {
            throw new IllegalArgumentException("no quantity '" + name + "' in " + quantities);
        }
        return q;
    }
}
