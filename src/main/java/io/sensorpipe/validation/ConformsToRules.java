package io.sensorpipe.validation;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * The row meets its {@link io.sensorpipe.validation.RuleSet}: one violation per broken rule, on the
 * column that breaks it, every column checked.
 */
@Target(TYPE)
@Retention(RUNTIME)
@Constraint(validatedBy = ConformsToRulesValidator.class)
public @interface ConformsToRules {

    String message() default "breaks the validation rules";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
