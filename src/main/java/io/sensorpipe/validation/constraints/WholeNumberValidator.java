package io.sensorpipe.validation.constraints;

import java.util.regex.Pattern;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

public class WholeNumberValidator implements ConstraintValidator<WholeNumber, String> {

    private static final Pattern DIGITS = Pattern.compile("[+-]?\\d{1,18}");

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        return value == null || value.isBlank() || DIGITS.matcher(value.trim()).matches();
    }
}
