package io.sensorpipe.records;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A row PostgreSQL refused, as kept in {@code refused_row}. */
@RegisterForReflection
public record RefusedRow(long line, String sqlState, String reason, String raw) {
}
