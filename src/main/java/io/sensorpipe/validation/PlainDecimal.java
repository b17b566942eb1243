package io.sensorpipe.validation;

/**
 * Plain decimal text ({@code -12.345}, {@code 93000.00}, {@code .5}) read as a double without
 * {@link Double#parseDouble} or {@link java.math.BigDecimal}: its digits as a whole number divided by
 * a power of ten. When the digits fit in 53 bits and the power is at most 10^22, both operands are
 * exact doubles and the quotient is correctly rounded, so the result is exactly the nearest double to
 * the decimal, as those would give. Any other text (an exponent, more digits, no digits) gives NaN and
 * is left to the general code.
 */
public final class PlainDecimal {

    private static final long MAX_EXACT = 1L << 53;
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private PlainDecimal() {
    }

    /** The nearest double to the decimal; NaN when the text is not one this class reads. */
    public static double parse(String text) {
        return read(text, 0, POWERS_OF_TEN.length - 1, false);
    }

    /**
     * The nearest double to the decimal divided by 10^{@code shift} and rounded half up to
     * {@code decimals} fraction digits, as {@code BigDecimal.setScale(decimals, HALF_UP).doubleValue()}
     * gives it: half up depends only on the first digit dropped. NaN for text this class does not read.
     */
    public static double rounded(String text, int shift, int decimals) {
        return read(text, shift, decimals, true);
    }

    private static double read(String text, int shift, int decimals, boolean round) {
        int keep = decimals - shift;
        int n = text.length();
        if (keep < 0 || decimals >= POWERS_OF_TEN.length) {
            return Double.NaN;
        }
        int i = 0;
        boolean negative = false;
        if (n > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        long digits = 0;
        int count = 0;
        int fraction = -1;
        int firstDropped = -1;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                count++;
                if (fraction >= keep) {
                    if (!round) {
                        return Double.NaN;
                    }
                    if (firstDropped < 0) {
                        firstDropped = c - '0';
                    }
                    continue;
                }
                if (digits >= MAX_EXACT / 10) {
                    return Double.NaN;
                }
                digits = digits * 10 + (c - '0');
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.NaN;
            }
        }
        if (count == 0) {
            return Double.NaN;
        }
        if (firstDropped >= 5) {
            digits++;
        }
        int power = Math.max(fraction, 0) + shift;
        double value = power == 0 ? digits : digits / POWERS_OF_TEN[power];
        return negative ? -value : value;
    }
}
