package io.sensorpipe.validation.constraints;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/** An ISO-8601 date-time, with or without an offset. Blank passes. */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = IsoTimestampValidator.class)
public @interface IsoTimestamp {

    String message() default "is not an ISO-8601 date-time (e.g. 2017-07-01T00:00:07)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
