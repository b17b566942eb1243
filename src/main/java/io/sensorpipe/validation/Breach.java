package io.sensorpipe.validation;

/**
 * One rule one field of a row breaks.
 *
 * @param expected what the rule wants, e.g. {@code -50..50 C}
 * @param actual   the value as read
 */
public record Breach(String field, Rule rule, String expected, String actual, String message) {
}
