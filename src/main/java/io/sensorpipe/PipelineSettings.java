package io.sensorpipe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * The application's settings read without starting it (for {@code bin/check-file}): its
 * {@code application.properties}, then environment variables and system properties, then
 * {@code overrides}; bound to {@link PipelineConfig} and checked as at start-up.
 */
public final class PipelineSettings {

    private PipelineSettings() {
    }

    public static PipelineConfig read(Map<String, String> overrides) {
        URL properties = PipelineSettings.class.getClassLoader().getResource("application.properties");
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDefaultSources()
                    .withSources(new PropertiesConfigSource(properties, 250))
                    .withSources(new InstanceIdentityConfigSourceFactory())
                    .withSources(new MapBackedConfigSource("overrides", overrides, 500) {
                    })
                    // Quarkus's own converter, which reads durations such as "5s".
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withMapping(PipelineConfig.class)
                    .build();
            return config.getConfigMapping(PipelineConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
