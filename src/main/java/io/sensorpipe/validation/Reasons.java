package io.sensorpipe.validation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;

import org.apache.camel.component.bean.validator.BeanValidationException;
import org.hibernate.validator.engine.HibernateConstraintViolation;

import io.sensorpipe.validation.constraints.IsoTimestamp;
import io.sensorpipe.validation.constraints.WholeNumber;

/** Turns a validation failure into the reasons written to the quarantine. */
public final class Reasons {

    /** Bean property to CSV column, in the order reasons are reported. */
    private static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("columns", "columns"),
            Map.entry("sensorId", "sensor_id"),
            Map.entry("location", "location"),
            Map.entry("lat", "lat"),
            Map.entry("lon", "lon"),
            Map.entry("timestamp", "timestamp"),
            Map.entry("pressure", "pressure"),
            Map.entry("temperature", "temperature"),
            Map.entry("humidity", "humidity"),
            Map.entry("p1", "P1"),
            Map.entry("p2", "P2"));
    private static final List<String> ORDER = List.of("columns", "sensor_id", "location", "lat", "lon", "timestamp",
            "pressure", "temperature", "humidity", "P1", "P2");

    private Reasons() {
    }

    public static List<Reason> of(Throwable failure) {
        if (failure instanceof BeanValidationException validation) {
            List<Reason> reasons = new ArrayList<>();
            for (ConstraintViolation<Object> violation : validation.getConstraintViolations()) {
                reasons.add(of(violation));
            }
            reasons.sort(Comparator.comparingInt((Reason r) -> ORDER.indexOf(r.field())).thenComparing(Reason::rule));
            return reasons;
        }
        String message = failure == null ? "row could not be checked" : failure.getClass().getSimpleName() + ": "
                + failure.getMessage();
        return List.of(new Reason(null, Rule.UNREADABLE.id(), null, message));
    }

    private static Reason of(ConstraintViolation<?> violation) {
        String property = violation.getPropertyPath().toString();
        String field = COLUMNS.getOrDefault(property, property);
        Object invalid = violation.getInvalidValue();
        String value = invalid instanceof String s ? s : null;
        if (invalid instanceof Boolean && violation.getRootBean() instanceof SensorRow row) {
            value = row.getColumnCount() + " fields, header has " + row.getExpectedColumnCount();
        }
        return new Reason(field, ruleOf(violation).id(), value, field + " " + violation.getMessage());
    }

    private static Rule ruleOf(ConstraintViolation<?> violation) {
        HibernateConstraintViolation<?> hibernate = violation.unwrap(HibernateConstraintViolation.class);
        Rule dynamic = hibernate.getDynamicPayload(Rule.class);
        if (dynamic != null) {
            return dynamic;
        }
        Class<?> constraint = violation.getConstraintDescriptor().getAnnotation().annotationType();
        if (constraint == NotBlank.class) {
            return Rule.REQUIRED;
        } else if (constraint == WholeNumber.class) {
            return Rule.INTEGER;
        } else if (constraint == IsoTimestamp.class) {
            return Rule.TIMESTAMP;
        } else if (constraint == AssertTrue.class) {
            return Rule.COLUMNS;
        }
        return Rule.UNREADABLE;
    }
}
