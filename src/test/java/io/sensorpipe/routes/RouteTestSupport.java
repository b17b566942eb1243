package io.sensorpipe.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;

import io.sensorpipe.support.Failures;
import io.sensorpipe.support.PipelineMetrics;
import io.sensorpipe.support.Retries;

/**
 * Route-level tests: loads the production YAML route files into a plain Camel context (no Quarkus,
 * no broker, no database), with the settings the files' placeholders need. Tests advise routes by id
 * and then start the context themselves.
 */
abstract class RouteTestSupport extends CamelTestSupport {

    /**
     * This test's own folder under target/. Assigned in {@link #configureContext}, which the
     * superclass constructor calls, so the field must have no initializer.
     */
    Path work;

    /** The exchanges being retried, as readiness would report them. */
    final Retries retries = new Retries();

    /** The route files under {@code src/main/resources/routes} this test needs, without folder. */
    protected abstract List<String> routeFiles();

    @Override
    public void configureTest(TestExecutionConfiguration config) {
        super.configureTest(config);
        config.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration config) {
        super.configureContext(config);
        try {
            Path base = Files.createDirectories(Path.of("target", "route-tests"));
            work = Files.createTempDirectory(base, getClass().getSimpleName()).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties properties = new Properties();
        properties.put("pipeline.data-dir", work.resolve("data").toString());
        properties.put("pipeline.quarantine-dir", work.resolve("quarantine").toString());
        properties.put("pipeline.poll-interval", "10");
        properties.put("pipeline.read-lock-interval", "10");
        properties.put("pipeline.topic.readings", "sensor-readings");
        properties.put("pipeline.loader.group-id", "test");
        properties.put("pipeline.loader.batch-chunks", "10");
        properties.put("pipeline.loader.batch-timeout-ms", "100");
        properties.put("pipeline.topic.dead-letters", "sensor-readings.dlq");
        properties.put("pipeline.failures.retries", "2");
        properties.put("pipeline.watch-interval", "100");
        properties.put("pipeline.topic.file-events", "file-events");
        config.withUseOverridePropertiesWithPropertiesComponent(properties);
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        context.getRegistry().bind("pipelineMetrics", new PipelineMetrics(new SimpleMeterRegistry()));
        context.getRegistry().bind("failures", new Failures());
        context.getRegistry().bind("retries", retries);
        List<RoutesBuilder> builders = new ArrayList<>();
        for (String file : routeFiles()) {
            builders.addAll(PluginHelper.getRoutesLoader(context)
                    .findRoutesBuilders(ResourceHelper.resolveMandatoryResource(context, "classpath:routes/" + file)));
        }
        return builders.toArray(RoutesBuilder[]::new);
    }
}
