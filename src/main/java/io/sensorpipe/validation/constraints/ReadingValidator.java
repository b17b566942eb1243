package io.sensorpipe.validation.constraints;

import java.util.regex.Pattern;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import io.sensorpipe.validation.Rule;

public class ReadingValidator implements ConstraintValidator<Reading, String> {

    /** Plain decimal notation only: no NaN, Infinity, hex floats or Java type suffixes. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,3})?");

    private Reading reading;

    @Override
    public void initialize(Reading reading) {
        this.reading = reading;
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null || value.isBlank()) {
            return true;
        }
        String text = value.trim();
        if (!DECIMAL.matcher(text).matches() || !Double.isFinite(Double.parseDouble(text))) {
            return fail(context, Rule.NUMERIC, "is not a finite decimal number");
        }
        double scaled = Double.parseDouble(text) * reading.scale();
        if (scaled < reading.min() || scaled > reading.max()) {
            String unit = reading.unit().isEmpty() ? "" : " " + reading.unit();
            String converted = reading.scale() == 1.0 ? "" : " (" + scaled + unit + ")";
            return fail(context, Rule.RANGE, "is outside " + number(reading.min()) + ".." + number(reading.max()) + unit
                    + converted);
        }
        return true;
    }

    private static boolean fail(ConstraintValidatorContext context, Rule rule, String message) {
        HibernateConstraintValidatorContext hibernate = context.unwrap(HibernateConstraintValidatorContext.class);
        hibernate.withDynamicPayload(rule);
        context.disableDefaultConstraintViolation();
        // The message holds no input text, so it cannot inject interpolation expressions.
        context.buildConstraintViolationWithTemplate(message).addConstraintViolation();
        return false;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
