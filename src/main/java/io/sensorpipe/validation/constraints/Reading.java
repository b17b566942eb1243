package io.sensorpipe.validation.constraints;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * A finite decimal number whose value, times {@link #scale()}, lies in {@code min..max} (inclusive).
 * Reports rule {@code numeric} or {@code range}. Blank passes: the quantity is then absent.
 */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = ReadingValidator.class)
public @interface Reading {

    double min();

    double max();

    /** Factor from the input unit to {@link #unit()}, e.g. 0.01 for Pa to hPa. */
    double scale() default 1.0;

    String unit() default "";

    String message() default "is not a valid reading";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
