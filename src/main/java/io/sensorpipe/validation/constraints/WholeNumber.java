package io.sensorpipe.validation.constraints;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/** A whole number that fits a PostgreSQL bigint. Blank passes: combine with {@code @NotBlank} to require it. */
@Target(FIELD)
@Retention(RUNTIME)
@Constraint(validatedBy = WholeNumberValidator.class)
public @interface WholeNumber {

    String message() default "is not a whole number";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
