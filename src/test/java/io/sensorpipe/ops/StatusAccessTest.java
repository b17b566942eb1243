package io.sensorpipe.ops;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@code /status} behind credentials without a password stops the start, as docs/security.md says. */
class StatusAccessTest {

    @Test
    void credentialsAskedForWithoutAPasswordStopTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new StatusAccess("authenticated", " ").check(null));
        assertEquals("/status requires credentials (quarkus.http.auth.permission.status.policy=authenticated) but no"
                + " password is set: set PIPELINE_STATUS_PASSWORD", e.getMessage());
        assertThrows(IllegalStateException.class, () -> new StatusAccess("authenticated", "").check(null));
        assertDoesNotThrow(() -> new StatusAccess("authenticated", "s3cret").check(null));
        assertDoesNotThrow(() -> new StatusAccess("permit", " ").check(null), "open /status needs no password");
    }
}
