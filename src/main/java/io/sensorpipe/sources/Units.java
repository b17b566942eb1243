package io.sensorpipe.sources;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The units a reading may arrive in, and the exact conversion of each to the unit it is stored in.
 * A conversion is {@code stored = (value + offset) * numerator / denominator}: °F to °C is
 * {@code (F - 32) * 5 / 9}, Pa to hPa {@code Pa * 1 / 100}.
 */
public final class Units {

    /** An exact affine conversion to a stored unit: {@code stored = (value + offset) * numerator / denominator}. */
    public static final class Conversion {

        public static final Conversion IDENTITY = new Conversion(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ONE);

        private final BigDecimal offset;
        private final BigDecimal numerator;
        private final BigDecimal denominator;
        /** Looked up for every reading: computed once. */
        private final double factor;
        private final double offsetValue;
        private final double numeratorValue;
        private final double denominatorValue;
        private final int decimalShift;

        Conversion(BigDecimal offset, BigDecimal numerator, BigDecimal denominator) {
            this.offset = offset;
            this.numerator = numerator;
            this.denominator = denominator;
            this.offsetValue = offset.doubleValue();
            this.numeratorValue = numerator.doubleValue();
            this.denominatorValue = denominator.doubleValue();
            this.factor = numeratorValue / denominatorValue;
            this.decimalShift = shiftOf(offset, numerator, denominator);
        }

        /** The factor as a double: exactly {@code numerator / denominator} rounded once. */
        public double factor() {
            return factor;
        }

        public boolean isIdentity() {
            return offset.signum() == 0 && numerator.compareTo(denominator) == 0;
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
            return (value + offsetValue) * numeratorValue / denominatorValue;
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
                return product.setScale(decimals, RoundingMode.HALF_UP);
            }
            // Twenty digits beyond the kept ones, then the kept ones: a quotient that is not exact
            // (a ninth) never ends in 5000…, so rounding twice rounds as once.
            return product.divide(denominator, new MathContext(product.precision() + decimals + 20, RoundingMode.HALF_UP))
                    .setScale(decimals, RoundingMode.HALF_UP);
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

    /** By stored unit: each unit accepted for it and its conversion. */
    private static final Map<String, Map<String, Conversion>> TO_STORED = new LinkedHashMap<>();

    static {
        TO_STORED.put("hPa", units(
                "hPa", ratio(1, 1), "mbar", ratio(1, 1), "Pa", ratio(1, 100), "kPa", ratio(10, 1)));
        TO_STORED.put("C", units(
                "C", ratio(1, 1), "K", new Conversion(new BigDecimal("-273.15"), BigDecimal.ONE, BigDecimal.ONE),
                "F", new Conversion(new BigDecimal("-32"), BigDecimal.valueOf(5), BigDecimal.valueOf(9))));
        TO_STORED.put("%", units("%", ratio(1, 1)));
        TO_STORED.put("ug/m3", units("ug/m3", ratio(1, 1), "mg/m3", ratio(1000, 1)));
        TO_STORED.put("degrees", units("degrees", ratio(1, 1)));
    }

    /** Other spellings of the same units. */
    private static final Map<String, String> ALIASES = Map.of(
            "°C", "C", "°F", "F", "degC", "C", "degF", "F",
            "µg/m³", "ug/m3", "μg/m³", "ug/m3", "µg/m3", "ug/m3", "mg/m³", "mg/m3", "millibar", "mbar");

    private Units() {
    }

    /** The unit as this table spells it. */
    public static String canonical(String unit) {
        String trimmed = unit.trim();
        return ALIASES.getOrDefault(trimmed, trimmed);
    }

    /** The conversion from {@code unit} to {@code storedUnit}, or null when there is none. */
    public static Conversion conversion(String unit, String storedUnit) {
        Map<String, Conversion> accepted = TO_STORED.get(storedUnit);
        return accepted == null ? null : accepted.get(canonical(unit));
    }

    /** The units accepted for a stored unit, for messages. */
    public static Set<String> accepted(String storedUnit) {
        return TO_STORED.getOrDefault(storedUnit, Map.of()).keySet();
    }

    private static Conversion ratio(long numerator, long denominator) {
        return new Conversion(BigDecimal.ZERO, BigDecimal.valueOf(numerator), BigDecimal.valueOf(denominator));
    }

    private static Map<String, Conversion> units(Object... pairs) {
        Map<String, Conversion> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Conversion) pairs[i + 1]);
        }
        return m;
    }
}
