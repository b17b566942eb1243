package io.sensorpipe.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sensorpipe.ops.ServiceWatch;
import io.sensorpipe.ops.embedded.EmbeddedKafka;
import io.sensorpipe.support.Folders;
import io.sensorpipe.support.PipelineMetrics;
import io.sensorpipe.testdata.TestConfig;

/**
 * The {@code service-watch} route against a real PostgreSQL and a real broker, each stopped and
 * started again: while one is away the intake's consumer is suspended (no new file is read), while
 * the database is away the loader's too, and both resume by themselves. The two consumers are
 * stand-ins with the production route ids.
 */
class ServiceWatchRouteTest extends RouteTestSupport {

    private static EmbeddedKafka kafka;
    private ServiceWatch watch;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(java.nio.file.Path.of("target", "route-tests", "service-watch-kafka"), "warm-up");
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Override
    protected List<String> routeFiles() {
        return List.of("service-watch.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        watch = new ServiceWatch(LedgerDatabase.fresh(), context, kafka.bootstrapServers(),
                TestConfig.pipeline(Map.of("pipeline.data-dir", work.resolve("data").toString())),
                new PipelineMetrics(new SimpleMeterRegistry()),
                new Folders(work.resolve("quarantine"), work.resolve("data").resolve(".done")));
        registry.bind("serviceWatch", watch);
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<RoutesBuilder> builders = new java.util.ArrayList<>(List.of(super.createRouteBuilders()));
        builders.add(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:intake").routeId("csv-intake").to("mock:intake");
                from("direct:loader").routeId("kafka-to-jdbc-batch").to("mock:loader");
            }
        });
        return builders.toArray(RoutesBuilder[]::new);
    }

    private boolean suspended(String routeId) {
        return ServiceHelper.isSuspended(context.getRoute(routeId).getConsumer());
    }

    private void awaitConsumers(boolean intakeSuspended, boolean loaderSuspended) {
        await().atMost(Duration.ofSeconds(30)).until(() -> suspended("csv-intake") == intakeSuspended
                && suspended("kafka-to-jdbc-batch") == loaderSuspended);
    }

    @Test
    void consumersAreSuspendedWhileAServiceIsAwayAndResumedWhenItIsBack() throws Exception {
        context.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> watch.database().isUp() && watch.broker().isUp());
        assertFalse(suspended("csv-intake"));
        assertFalse(suspended("kafka-to-jdbc-batch"));

        kafka.stop();
        awaitConsumers(true, false);
        assertTrue(watch.degraded());
        kafka.restart();
        awaitConsumers(false, false);

        LedgerDatabase.stop();
        try {
            awaitConsumers(true, true);
            assertFalse(watch.database().isUp(), watch.database().detail());
        } finally {
            LedgerDatabase.restart();
        }
        awaitConsumers(false, false);
        assertFalse(watch.degraded());
    }
}
