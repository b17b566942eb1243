package io.sensorpipe.validation;

import java.time.format.DateTimeParseException;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import io.sensorpipe.sources.Field;
import io.sensorpipe.sources.Range;
import io.sensorpipe.sources.Source;
import io.sensorpipe.sources.Units.Conversion;

public class ConformsToRulesValidator implements ConstraintValidator<ConformsToRules, SensorRow> {

    private static final int TIMESTAMP = Field.TIMESTAMP.ordinal();

    @Override
    public boolean isValid(SensorRow row, ConstraintValidatorContext context) {
        Source source = row.source();
        if (row.columnCount() != row.expectedColumnCount()) {
            row.breach(new Breach("columns", Rule.COLUMNS, row.expectedColumnCount() + " fields",
                    row.columnCount() + " fields", "row has " + row.columnCount() + " fields, the header "
                            + row.expectedColumnCount()));
        }
        for (int slot = 0; slot < source.slots(); slot++) {
            String value = row.valueAt(slot);
            if (value == null || value.isBlank()) {
                if (source.isRequired(slot)) {
                    String name = source.fieldName(slot);
                    row.breach(new Breach(name, Rule.REQUIRED, "a value", value, name + " is required"));
                }
            } else if (slot == TIMESTAMP) {
                checkTimestamp(row, source, value);
            } else if (source.kind(slot) == Field.Kind.IDENTIFIER) {
                if (!isWhole(value)) {
                    String name = source.fieldName(slot);
                    row.breach(new Breach(name, Rule.INTEGER, "a whole number", value,
                            name + " '" + value + "' is not a whole number"));
                }
            } else {
                checkReading(row, source, slot, value);
            }
        }
        if (row.breaches().isEmpty()) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        for (Breach breach : row.breaches()) {
            // Messages hold input text: escape what the interpolator would otherwise evaluate.
            context.buildConstraintViolationWithTemplate(escape(breach.message()))
                    .addPropertyNode(breach.field())
                    .addConstraintViolation();
        }
        return false;
    }

    private static void checkTimestamp(SensorRow row, Source source, String value) {
        try {
            row.timestamp(source.timestamp().parse(value));
        } catch (DateTimeParseException e) {
            String name = source.fieldName(TIMESTAMP);
            String expected = source.timestamp().expected();
            row.breach(new Breach(name, Rule.TIMESTAMP, expected, value,
                    name + " '" + value + "' is not a valid " + expected
                            + (e.getMessage().contains("daylight-saving") ? " (" + e.getMessage() + ")" : "")));
        }
    }

    private static void checkReading(SensorRow row, Source source, int slot, String value) {
        Range range = source.range(slot);
        Conversion conversion = source.conversion(slot);
        // A decimal comma is read as a point; the reports show the text as written.
        String text = source.dialect().decimalComma() ? value.replace(',', '.') : value;
        double parsed = PlainDecimal.parse(text);
        if (Double.isNaN(parsed)) {
            // More digits than a double holds exactly (23.273000000000003, common in the Sofia files):
            // rounded to 9 decimals it is within 5e-10 of its value, so when that lies well inside the
            // range the row passes without the slow exact parse. The standardiser rounds it itself.
            double approx = PlainDecimal.rounded(text, 0, 9);
            if (!Double.isNaN(approx) && wellInside(range, conversion, conversion.apply(approx))) {
                return;
            }
            parsed = isDecimal(text) ? Double.parseDouble(text) : Double.NaN;
        }
        String name = source.fieldName(slot);
        if (!Double.isFinite(parsed)) {
            row.breach(new Breach(name, Rule.NUMERIC, "a finite decimal number", value,
                    name + " '" + value + "' is not a finite decimal number"));
            return;
        }
        row.parsedAt(slot, parsed);
        double stored = conversion.apply(parsed);
        if (!range.contains(stored)) {
            String converted = conversion.isIdentity() ? "" : " (" + stored + " " + range.unit() + ")";
            row.breach(new Breach(name, Rule.RANGE, range.expected(), value,
                    name + " " + value + converted + " is outside " + range.expected()));
        }
    }

    /** Inside the range by more than the error of a value {@link PlainDecimal#rounded} to 9 decimals. */
    public static boolean wellInside(Range range, Conversion conversion, double stored) {
        double margin = 1e-9 * Math.max(1.0, Math.abs(conversion.factor())) + 1e-12 * Math.abs(stored);
        return stored > range.min() + margin && stored < range.max() - margin;
    }

    /** An optional sign and 1 to 18 ASCII digits, without a regex engine: checked for every id of every row. */
    static boolean isWhole(String s) {
        int i = s.isEmpty() || (s.charAt(0) != '+' && s.charAt(0) != '-') ? 0 : 1;
        int digits = countDigits(s, i);
        return digits >= 1 && digits <= 18 && i + digits == s.length();
    }

    /**
     * Plain decimal notation only (no NaN, Infinity, hex floats or Java type suffixes): an optional
     * sign, digits with an optional point (or a point and digits), and an optional exponent of 1 to 3
     * digits; without a regex engine: checked for every reading of every row.
     */
    static boolean isDecimal(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        int whole = countDigits(s, i);
        i += whole;
        int fraction = 0;
        if (i < n && s.charAt(i) == '.') {
            fraction = countDigits(s, ++i);
            i += fraction;
        }
        if (whole == 0 && fraction == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = countDigits(s, i);
            if (exponent < 1 || exponent > 3) {
                return false;
            }
            i += exponent;
        }
        return i == n;
    }

    private static int countDigits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }

    private static String escape(String message) {
        return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}
