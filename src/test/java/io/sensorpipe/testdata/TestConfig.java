package io.sensorpipe.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.validation.RuleSet;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

/** The application's own settings (src/main/resources/application.properties) for tests without Quarkus. */
public final class TestConfig {

    private TestConfig() {
    }

    /** The settings, with {@code overrides} taking precedence. */
    public static PipelineConfig pipeline(Map<String, String> overrides) {
        URL properties = TestConfig.class.getClassLoader().getResource("application.properties");
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .withSources(new PropertiesConfigSource(properties, 250))
                    .withSources(new io.sensorpipe.ops.InstanceIdentityConfigSourceFactory())
                    .withSources(new MapBackedConfigSource("test overrides", overrides, 500) {
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

    public static RuleSet rules() {
        return RuleSet.from(pipeline(Map.of()).rules());
    }

    public static RuleSet rules(Map<String, String> overrides) {
        return RuleSet.from(pipeline(overrides).rules());
    }
}
