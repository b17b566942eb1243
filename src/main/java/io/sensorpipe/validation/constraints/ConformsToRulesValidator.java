package io.sensorpipe.validation.constraints;

import java.time.format.DateTimeParseException;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import io.sensorpipe.validation.Breach;
import io.sensorpipe.validation.PlainDecimal;
import io.sensorpipe.validation.Rule;
import io.sensorpipe.validation.RuleSet;
import io.sensorpipe.validation.SensorRow;

public class ConformsToRulesValidator implements ConstraintValidator<ConformsToRules, SensorRow> {

    private static final int SENSOR_ID = SensorRow.slot("sensor_id");
    private static final int LOCATION = SensorRow.slot("location");
    private static final int TIMESTAMP = SensorRow.slot("timestamp");

    @Override
    public boolean isValid(SensorRow row, ConstraintValidatorContext context) {
        RuleSet rules = row.rules();
        if (row.columnCount() != row.expectedColumnCount()) {
            row.breach(new Breach("columns", Rule.COLUMNS, row.expectedColumnCount() + " fields",
                    row.columnCount() + " fields", "row has " + row.columnCount() + " fields, the header "
                            + row.expectedColumnCount()));
        }
        for (int slot = 0; slot < RuleSet.COLUMNS.size(); slot++) {
            String value = row.valueAt(slot);
            if (value == null || value.isBlank()) {
                if (rules.isRequired(slot)) {
                    String column = RuleSet.COLUMNS.get(slot);
                    row.breach(new Breach(column, Rule.REQUIRED, "a value", value, column + " is required"));
                }
            } else if (slot == SENSOR_ID || slot == LOCATION) {
                if (!isWhole(value)) {
                    String column = RuleSet.COLUMNS.get(slot);
                    row.breach(new Breach(column, Rule.INTEGER, "a whole number", value,
                            column + " '" + value + "' is not a whole number"));
                }
            } else if (slot == TIMESTAMP) {
                checkTimestamp(row, rules, value);
            } else {
                checkReading(row, rules.range(slot), slot, value);
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

    private static void checkTimestamp(SensorRow row, RuleSet rules, String value) {
        try {
            row.timestamp(rules.parseTimestamp(value));
        } catch (DateTimeParseException e) {
            row.breach(new Breach("timestamp", Rule.TIMESTAMP, rules.timestampExpected(), value,
                    "timestamp '" + value + "' is not a valid " + rules.timestampExpected()));
        }
    }

    private static void checkReading(SensorRow row, RuleSet.Range range, int slot, String value) {
        String column = RuleSet.COLUMNS.get(slot);
        double parsed = PlainDecimal.parse(value);
        if (Double.isNaN(parsed)) {
            // More digits than a double holds exactly (23.273000000000003, common in the Sofia files):
            // rounded to 9 decimals it is within 5e-10 of its value, so when that lies well inside the
            // range the row passes without the slow exact parse. The standardiser rounds it itself.
            double approx = PlainDecimal.rounded(value, 0, 9);
            if (!Double.isNaN(approx) && wellInside(range, approx * range.scale())) {
                return;
            }
            parsed = isDecimal(value) ? Double.parseDouble(value) : Double.NaN;
        }
        if (!Double.isFinite(parsed)) {
            row.breach(new Breach(column, Rule.NUMERIC, "a finite decimal number", value,
                    column + " '" + value + "' is not a finite decimal number"));
            return;
        }
        row.parsedAt(slot, parsed);
        double stored = parsed * range.scale();
        if (!range.contains(stored)) {
            String converted = range.scale() == 1.0 ? "" : " (" + stored + " " + range.unit() + ")";
            row.breach(new Breach(column, Rule.RANGE, range.expected(), value,
                    column + " " + value + converted + " is outside " + range.expected()));
        }
    }

    /** Inside the range by more than the error of a value {@link PlainDecimal#rounded} to 9 decimals. */
    public static boolean wellInside(RuleSet.Range range, double stored) {
        double margin = 1e-9 * Math.max(1.0, range.scale()) + 1e-12 * Math.abs(stored);
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
