package io.sensorpipe.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.sensorpipe.StatusCredentialsConfigSourceFactory;

/**
 * {@code /status} behind credentials ({@code PIPELINE_STATUS_AUTH=authenticated}) must have a
 * password: an empty one would let anyone in, so the start fails instead.
 */
@ApplicationScoped
public class StatusAccess {

    private final String policy;
    private final String password;

    public StatusAccess(@ConfigProperty(name = "quarkus.http.auth.permission.status.policy") String policy,
            @ConfigProperty(name = StatusCredentialsConfigSourceFactory.USER, defaultValue = " ") String password) {
        this.policy = policy;
        this.password = password;
    }

    void check(@Observes StartupEvent start) {
        if (!"permit".equals(policy) && password.isBlank()) {
            throw new IllegalStateException("/status requires credentials (quarkus.http.auth.permission.status.policy="
                    + policy + ") but no password is set: set PIPELINE_STATUS_PASSWORD");
        }
    }
}
