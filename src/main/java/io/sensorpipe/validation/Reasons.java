package io.sensorpipe.validation;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.ConstraintViolation;

import org.apache.camel.component.bean.validator.BeanValidationException;

import io.sensorpipe.records.Reason;

/** Turns a validation failure into the reasons written to the quarantine. */
public final class Reasons {

    private Reasons() {
    }

    /** The rules a row broke, as reasons. */
    public static List<Reason> of(SensorRow row) {
        List<Reason> reasons = new ArrayList<>(row.breaches().size());
        for (Breach b : row.breaches()) {
            reasons.add(new Reason(b.field(), b.rule().id(), b.expected(), b.actual(), b.message()));
        }
        return reasons;
    }

    /** Why a row was rejected, from the exception its validation ended in (row-quarantine's first step). */
    public static List<Reason> ofFailure(Throwable failure) {
        if (failure instanceof BeanValidationException validation) {
            for (ConstraintViolation<Object> violation : validation.getConstraintViolations()) {
                if (violation.getRootBean() instanceof SensorRow row) {
                    return of(row);
                }
            }
        }
        String message = failure == null ? "row could not be checked"
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return List.of(new Reason(null, Rule.UNREADABLE.id(), null, null, message));
    }
}
