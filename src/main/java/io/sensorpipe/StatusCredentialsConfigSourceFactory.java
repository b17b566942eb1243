package io.sensorpipe;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import io.sensorpipe.ops.StatusAccess;

/**
 * The user {@code status} of Quarkus's embedded user store, with the password
 * {@code pipeline.status.password} ({@code PIPELINE_STATUS_PASSWORD}), when one is set. A user with an
 * empty password is never defined; {@link StatusAccess} refuses to start with credentials required
 * and none set.
 */
public class StatusCredentialsConfigSourceFactory implements ConfigSourceFactory {

    public static final String PASSWORD = "pipeline.status.password";
    public static final String USER = "quarkus.security.users.embedded.users.status";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue password = context.getValue(PASSWORD);
        if (password == null || password.getValue() == null || password.getValue().isBlank()) {
            return List.of();
        }
        return List.of(new MapBackedConfigSource("sensorpipe-status-credentials", Map.of(USER, password.getValue()),
                260) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(260);
    }
}
