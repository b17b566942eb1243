package io.sensorpipe.validation;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Why a row was rejected: one broken rule on one field.
 *
 * @param field   the CSV column (or {@code columns} for the row's shape)
 * @param rule    the rule's id, see {@link Rule}
 * @param value   the offending value as read
 * @param message what is wrong, for a person
 */
@RegisterForReflection
public record Reason(String field, String rule, String value, String message) {
}
