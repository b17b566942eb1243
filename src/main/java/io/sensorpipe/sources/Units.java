package io.sensorpipe.sources;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The units a reading may arrive in, and the exact conversion of each to the unit it is stored in.
 * A conversion is {@code stored = (value + offset) * numerator / denominator}: °F to °C is
 * {@code (F - 32) * 5 / 9}, Pa to hPa {@code Pa * 1 / 100}.
 */
public final class Units {

    /**
     * An exact affine conversion to a stored unit: {@code stored = (value + offset) * numerator / denominator + after}
     * ({@code after} is zero but for a conversion declared in configuration as a factor and an offset).
     */
    public static final class Conversion {

        public static final Conversion IDENTITY = new Conversion(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ONE);

        private final BigDecimal offset;
        private final BigDecimal numerator;
        private final BigDecimal denominator;
        private final BigDecimal after;
        /** Looked up for every reading: computed once. */
        private final double factor;
        private final double offsetValue;
        private final double numeratorValue;
        private final double denominatorValue;
        private final double afterValue;
        private final int decimalShift;

        Conversion(BigDecimal offset, BigDecimal numerator, BigDecimal denominator) {
            this(offset, numerator, denominator, BigDecimal.ZERO);
        }

        private Conversion(BigDecimal offset, BigDecimal numerator, BigDecimal denominator, BigDecimal after) {
            this.offset = offset;
            this.numerator = numerator;
            this.denominator = denominator;
            this.after = after;
            this.offsetValue = offset.doubleValue();
            this.numeratorValue = numerator.doubleValue();
            this.denominatorValue = denominator.doubleValue();
            this.afterValue = after.doubleValue();
            this.factor = numeratorValue / denominatorValue;
            this.decimalShift = after.signum() != 0 ? -1 : shiftOf(offset, numerator, denominator);
        }

        /** {@code stored = value * factor + offset}, as a conversion is declared in configuration. */
        public static Conversion declared(BigDecimal factor, BigDecimal offset) {
            return new Conversion(BigDecimal.ZERO, factor, BigDecimal.ONE, offset);
        }

        /** The factor as a double: exactly {@code numerator / denominator} rounded once. */
        public double factor() {
            return factor;
        }

        public boolean isIdentity() {
            return offset.signum() == 0 && after.signum() == 0 && numerator.compareTo(denominator) == 0;
        }

        /**
         * For range checks and messages: the converted value as a double. A power of ten multiplies (the
         * Sofia files' Pa to hPa, as before sources were configurable); any other conversion multiplies
         * by the numerator and then divides, so that 140 °F is 60 °C, not 60.00000000000001.
         */
        public double apply(double value) {
            if (decimalShift >= 0) {
                return value * factor;
            }
            return (value + offsetValue) * numeratorValue / denominatorValue + afterValue;
        }

        /** A limit (of a range) converted exactly, to twelve decimals. */
        public double applyExactly(double value) {
            return apply(BigDecimal.valueOf(value), 12).doubleValue();
        }

        /** The converted value exactly, rounded half up to {@code decimals}. */
        public BigDecimal apply(BigDecimal value, int decimals) {
            BigDecimal shifted = offset.signum() == 0 ? value : value.add(offset);
            BigDecimal product = shifted.multiply(numerator);
            if (denominator.compareTo(BigDecimal.ONE) == 0) {
                return product.add(after).setScale(decimals, RoundingMode.HALF_UP);
            }
            // Twenty digits beyond the kept ones, then the kept ones: a quotient that is not exact
            // (a ninth) never ends in 5000…, so rounding twice rounds as once.
            return product.divide(denominator, new MathContext(product.precision() + decimals + 20, RoundingMode.HALF_UP))
                    .add(after).setScale(decimals, RoundingMode.HALF_UP);
        }

        /**
         * k when the conversion only moves the decimal point k places left (1 gives 0, Pa to hPa 2),
         * so that converting text is shifting its digits; -1 otherwise.
         */
        public int decimalShift() {
            return decimalShift;
        }

        private static int shiftOf(BigDecimal offset, BigDecimal numerator, BigDecimal denominator) {
            if (offset.signum() != 0) {
                return -1;
            }
            BigDecimal exact;
            try {
                exact = numerator.divide(denominator).stripTrailingZeros();
            } catch (ArithmeticException e) {
                return -1;
            }
            return exact.unscaledValue().equals(BigInteger.ONE) && exact.scale() >= 0 ? exact.scale() : -1;
        }
    }

    /**
     * A unit: its kind of quantity and how a value in it becomes one in the kind's base unit,
     * {@code base = (value + offset) * numerator / denominator}.
     */
    private record Unit(String kind, BigDecimal offset, BigDecimal numerator, BigDecimal denominator) {
    }

    private static final Map<String, Unit> UNITS = new LinkedHashMap<>();

    static {
        unit("pressure", "hPa", 1, 1);
        unit("pressure", "mbar", 1, 1);
        unit("pressure", "Pa", 1, 100);
        unit("pressure", "kPa", 10, 1);
        unit("temperature", "C", 1, 1);
        UNITS.put("K", new Unit("temperature", new BigDecimal("-273.15"), BigDecimal.ONE, BigDecimal.ONE));
        UNITS.put("F", new Unit("temperature", new BigDecimal("-32"), BigDecimal.valueOf(5), BigDecimal.valueOf(9)));
        unit("fraction", "%", 1, 1);
        unit("mass concentration", "ug/m3", 1, 1);
        unit("mass concentration", "mg/m3", 1000, 1);
        unit("mass concentration", "ng/m3", 1, 1000);
        unit("mixing ratio", "ppb", 1, 1);
        unit("mixing ratio", "ppm", 1000, 1);
        unit("mixing ratio", "ppt", 1, 1000);
        unit("angle", "degrees", 1, 1);
    }

    /** Other spellings of the same units. */
    private static final Map<String, String> ALIASES = Map.of(
            "°C", "C", "°F", "F", "degC", "C", "degF", "F",
            "µg/m³", "ug/m3", "μg/m³", "ug/m3", "µg/m3", "ug/m3", "mg/m³", "mg/m3", "millibar", "mbar");

    private Units() {
    }

    private static void unit(String kind, String name, long numerator, long denominator) {
        UNITS.put(name, new Unit(kind, BigDecimal.ZERO, BigDecimal.valueOf(numerator), BigDecimal.valueOf(denominator)));
    }

    /** The unit as this table spells it. */
    public static String canonical(String unit) {
        String trimmed = unit.trim();
        return ALIASES.getOrDefault(trimmed, trimmed);
    }

    /** Null when this is a unit's name (not blank, at most 32 printable characters), else why not. */
    public static String problemWithName(String unit) {
        String name = canonical(unit);
        if (name.isEmpty()) {
            return "a unit has a name (\"" + DIMENSIONLESS + "\" for a dimensionless quantity)";
        }
        if (name.length() > MAX_UNIT_CHARS || name.chars().anyMatch(Character::isISOControl)) {
            return "a unit's name is at most " + MAX_UNIT_CHARS + " printable characters";
        }
        return null;
    }

    /** A dimensionless quantity's unit (a raw sensor response, a count, a ratio): the SI's "1". */
    public static final String DIMENSIONLESS = "1";

    /** Longest unit name a quantity may be stored in. */
    private static final int MAX_UNIT_CHARS = 32;

    /**
     * Null when readings can be stored in a unit of this name, else why not. Any name will do (g/m3, mV,
     * {@value #DIMENSIONLESS} for none) but one of the table's with an offset (K, F: stored units convert
     * by a factor), a blank one, a long one or one with control characters.
     */
    public static String problemWithStored(String unit) {
        String problem = problemWithName(unit);
        if (problem != null) {
            return problem;
        }
        String name = canonical(unit);
        Unit u = UNITS.get(name);
        if (u != null && u.offset().signum() != 0) {
            return "'" + name + "' converts with an offset; readings are stored in a unit that does not (one of "
                    + storable() + ")";
        }
        return null;
    }

    /** The conversion from {@code unit} to {@code storedUnit}, or null when there is none. */
    public static Conversion conversion(String unit, String storedUnit) {
        Unit from = UNITS.get(canonical(unit));
        Unit to = UNITS.get(canonical(storedUnit));
        if (from == null || to == null || !from.kind().equals(to.kind()) || to.offset().signum() != 0) {
            return null;
        }
        // (value + offset) * n1 / d1 in the base unit, divided by n2 / d2 for the stored unit.
        return new Conversion(from.offset(), from.numerator().multiply(to.denominator()),
                from.denominator().multiply(to.numerator()));
    }

    /** The units a value stored in {@code storedUnit} may arrive in, for messages. */
    public static java.util.List<String> accepted(String storedUnit) {
        Unit to = UNITS.get(canonical(storedUnit));
        return UNITS.entrySet().stream().filter(e -> to != null && e.getValue().kind().equals(to.kind()))
                .map(Map.Entry::getKey).toList();
    }

    /** The table's units readings can be stored in, for messages. */
    public static java.util.List<String> storable() {
        return UNITS.entrySet().stream().filter(e -> e.getValue().offset().signum() == 0).map(Map.Entry::getKey).toList();
    }

}
