package io.sensorpipe.sources;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a source writes for "no reading" in a quantity's column. A sentinel that is a number ({@code -200},
 * {@code "-200,0"}) matches the number however it is spelt under the dialect's decimal separator
 * ({@code -200}, {@code -200,0}, {@code -200.00}, {@code +0200}); any other sentinel ({@code NA},
 * {@code n/a}) matches its text exactly.
 */
public final class Sentinels {

    /** Plain decimal notation, point or comma, no exponent: how a number is written in a CSV cell. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+([.,]\\d*)?|[.,]\\d+)");
    /** Longer text is no spelling of a sentinel worth parsing. */
    private static final int MAX_NUMBER_CHARS = 40;

    private final Set<String> texts;
    private final BigDecimal[] numbers;
    private final char decimalSeparator;

    private Sentinels(Set<String> texts, BigDecimal[] numbers, char decimalSeparator) {
        this.texts = texts;
        this.numbers = numbers;
        this.decimalSeparator = decimalSeparator;
    }

    /** The sentinels of a quantity's column, null when it has none. */
    static Sentinels of(Collection<String> configured, char decimalSeparator) {
        if (configured.isEmpty()) {
            return null;
        }
        Set<String> texts = new LinkedHashSet<>();
        List<BigDecimal> numbers = new ArrayList<>();
        for (String sentinel : configured) {
            BigDecimal number = number(sentinel.trim(), decimalSeparator);
            if (number != null) {
                numbers.add(number);
            }
            texts.add(sentinel.trim());
        }
        return new Sentinels(Set.copyOf(texts), numbers.toArray(BigDecimal[]::new), decimalSeparator);
    }

    /** Whether this cell (trimmed) means the reading is missing. */
    public boolean matches(String text) {
        if (texts.contains(text)) {
            return true;
        }
        if (numbers.length == 0) {
            return false;
        }
        BigDecimal value = number(text, decimalSeparator);
        if (value == null) {
            return false;
        }
        for (BigDecimal number : numbers) {
            if (number.compareTo(value) == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The number a text spells with this decimal separator (a sentinel in the configuration may also use
     * a point: YAML writes {@code -200.0}); null when it is not a plain decimal number.
     */
    private static BigDecimal number(String text, char decimalSeparator) {
        if (text.isEmpty() || text.length() > MAX_NUMBER_CHARS || !NUMBER.matcher(text).matches()) {
            return null;
        }
        String plain = text;
        if (text.indexOf(',') >= 0) {
            if (decimalSeparator != ',') {
                return null; // 1,000 under a decimal point is not a number the rules would read
            }
            plain = text.replace(',', '.');
        }
        return new BigDecimal(plain.startsWith("+") ? plain.substring(1) : plain);
    }

    /** The sentinels as configured, for messages. */
    public Set<String> texts() {
        return texts;
    }
}
