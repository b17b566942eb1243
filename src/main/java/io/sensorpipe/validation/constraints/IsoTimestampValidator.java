package io.sensorpipe.validation.constraints;

import java.time.format.DateTimeParseException;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import io.sensorpipe.validation.Timestamps;

public class IsoTimestampValidator implements ConstraintValidator<IsoTimestamp, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null || value.isBlank()) {
            return true;
        }
        try {
            Timestamps.parseUtc(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
