package io.sensorpipe.ops.embedded;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

import io.sensorpipe.PipelineConfig;

/**
 * Starts an in-process Kafka broker and PostgreSQL when {@code pipeline.embedded-services.enabled}
 * is true (the dev and test profiles) and no broker ({@code KAFKA_BOOTSTRAP_SERVERS}) or database
 * ({@code QUARKUS_DATASOURCE_JDBC_URL}) is configured, and supplies their addresses as configuration.
 * Runs while the configuration is built, so both are up before Flyway and the routes start.
 *
 * <p>The services live as long as the JVM: dev-mode reloads and all tests of one run share them. The
 * embedded-service libraries are optional dependencies, left out of the packaged application; this
 * class only touches them when the services are enabled.
 */
public class EmbeddedServicesConfigSourceFactory implements ConfigSourceFactory {

    static final String ENABLED = "pipeline.embedded-services.enabled";
    static final String WORK_DIR = "pipeline.embedded-services.work-dir";
    static final String BOOTSTRAP = "kafka.bootstrap.servers";
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String TOPIC = "pipeline.topic.readings";
    static final String EVENTS_TOPIC = "pipeline.topic.file-events";
    static final String DEAD_LETTER_TOPIC = "pipeline.topic.dead-letters";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!Boolean.parseBoolean(value(context, ENABLED, "false"))) {
            return List.of();
        }
        Path workDir = Path.of(value(context, WORK_DIR, PipelineConfig.EmbeddedServices.DEFAULT_WORK_DIR));
        Map<String, String> properties = new HashMap<>();
        if (value(context, BOOTSTRAP, null) == null) {
            properties.put(BOOTSTRAP, EmbeddedKafka.bootstrapServers(workDir, value(context, TOPIC, PipelineConfig.Topic.DEFAULT_READINGS),
                    value(context, EVENTS_TOPIC, PipelineConfig.Topic.DEFAULT_FILE_EVENTS),
                    value(context, DEAD_LETTER_TOPIC, PipelineConfig.Topic.DEFAULT_DEAD_LETTERS)));
        }
        if (value(context, JDBC_URL, null) == null) {
            properties.putAll(EmbeddedPostgres.datasourceProperties(workDir));
        }
        return List.of(new MapBackedConfigSource("sensorpipe-embedded-services", properties, 275) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(275);
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null ? fallback : value.getValue();
    }
}
