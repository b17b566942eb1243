package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.junit.jupiter.api.Test;

import io.sensorpipe.metrics.CompletionThread;
import io.sensorpipe.metrics.FileMetrics;
import io.sensorpipe.metrics.MetricsAggregationStrategy;
import io.sensorpipe.metrics.QuantityStats;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.LoadedSlice;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.testdata.Values;

class MetricsAggregatorRouteTest extends RouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        return List.of("error-handling.camel.yaml", "metrics-aggregator.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("metricsAggregation", new MetricsAggregationStrategy(io.sensorpipe.testdata.TestConfig.sources()));
        registry.bind(CompletionThread.NAME, new SynchronousExecutorService());
        registry.bind("fileQuarantine", quarantined);
        registry.bind("fileMoves", new NoMoves());
    }

    /** The stand-in quarantines nothing, so nothing may move. */
    public static final class NoMoves {
        public void move(io.sensorpipe.records.FileOutcome outcome) {
            throw new AssertionError("nothing moves here: " + outcome);
        }
    }

    /** Stands in for the quarantine writer of completion-failures: records which file it quarantined, and why. */
    public static final class QuarantinedFiles {
        final List<String> files = new java.util.concurrent.CopyOnWriteArrayList<>();

        public io.sensorpipe.records.FileOutcome quarantineCompleted(io.sensorpipe.records.FileSealed sealed,
                Exception cause) {
            files.add(sealed.fileId() + ": " + cause);
            return io.sensorpipe.records.FileOutcome.unchanged(sealed, "quarantined by the stand-in");
        }

        public io.sensorpipe.records.FileOutcome finishPoisoned(io.sensorpipe.records.FileSealed sealed, String reason) {
            files.add(sealed.fileId() + ": poisoned: " + reason);
            return io.sensorpipe.records.FileOutcome.unchanged(sealed, "poisoned, by the stand-in");
        }
    }

    private final QuarantinedFiles quarantined = new QuarantinedFiles();
    private final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

    /** The writer fails {@code failures} times with {@code failure}, then passes the file to mock:writer. */
    private MockEndpoint adviseFailing(int failures, Exception failure) throws Exception {
        AdviceWith.adviceWith(context, "metrics-aggregator", route -> {
            route.weaveById("write-metrics").replace().process(exchange -> {
                if (attempts.incrementAndGet() <= failures) {
                    throw failure;
                }
            });
            route.weaveById("where-the-file-goes").remove();
            route.weaveById("file-event").replace().to("mock:writer");
            route.weaveById("event-loaded").remove();
            route.weaveById("log-outcome").remove();
        });
        context.start();
        return getMockEndpoint("mock:writer");
    }

    @Test
    void anOutageWhileWritingAFileIsWaitedOutAndTheFileWrittenOnce() throws Exception {
        MockEndpoint writer = adviseFailing(2, new java.sql.SQLException("terminating connection", "57P01"));

        template.sendBody("direct:metrics-aggregator", sealed(7, 0));

        assertEquals(1, writer.getReceivedCounter(), "written once the database is back");
        assertEquals(3, attempts.get(), "two failed attempts, then the write");
        assertEquals(List.of(), quarantined.files, "an outage quarantines nothing");
    }

    @Test
    void aFileWhoseWritingFailsForGoodIsQuarantinedWithTheCauseAfterItsRetries() throws Exception {
        MockEndpoint writer = adviseFailing(Integer.MAX_VALUE, new IllegalStateException("a defect"));

        template.sendBody("direct:metrics-aggregator", sealed(8, 0));

        assertEquals(0, writer.getReceivedCounter());
        assertEquals(3, attempts.get(), "the attempt and pipeline.failures.retries (2) retries");
        assertEquals(List.of("8: java.lang.IllegalStateException: a defect"), quarantined.files,
                "completion-failures quarantines the file once its retries are spent");
    }

    private MockEndpoint advise() throws Exception {
        AdviceWith.adviceWith(context, "metrics-aggregator", route -> {
            route.weaveById("write-metrics").replace().to("mock:writer");
            route.weaveById("where-the-file-goes").remove();
            route.weaveById("file-event").remove();
            route.weaveById("event-loaded").remove();
            route.weaveById("log-outcome").remove();
        });
        context.start();
        return getMockEndpoint("mock:writer");
    }

    private static SensorReading reading(long fileId, long line, long sensor, double temperature, Double humidity) {
        return new SensorReading(fileId, line, "f.csv", "bme280", sensor, null, null, null,
                Instant.parse("2017-07-01T00:00:00Z").plusSeconds(line), Values.of("temperature", temperature, "humidity", humidity), "raw");
    }

    private static FileSealed sealed(long fileId, long expected) {
        return new FileSealed(fileId, "f" + fileId + ".csv", Path.of("f" + fileId + ".csv"), expected + 1, 1, expected,
                System.currentTimeMillis(), null, false);
    }

    @Test
    void fileCompletesAtItsSealOnTheThreadThatBroughtIt() throws Exception {
        MockEndpoint writer = advise();

        template.sendBody("direct:metrics-aggregator",
                slice(1, List.of(reading(1, 2, 10, 20.0, 50.0), reading(1, 3, 10, 22.0, null))));
        template.sendBody("direct:metrics-aggregator", slice(2, List.of(reading(2, 2, 11, 5.0, 5.0))));
        template.sendBody("direct:metrics-aggregator", slice(1, List.of(reading(1, 4, 10, 27.0, 70.0))));
        assertEquals(0, writer.getReceivedCounter(), "no file is complete before its seal");
        template.sendBody("direct:metrics-aggregator", sealed(2, 1));
        assertEquals(1, writer.getReceivedCounter(), "written before the seal's sender goes on (its offset commit)");
        template.sendBody("direct:metrics-aggregator", sealed(1, 3));
        assertEquals(2, writer.getReceivedCounter());

        FileMetrics file2 = writer.getReceivedExchanges().get(0).getMessage().getBody(FileMetrics.class);
        FileMetrics file1 = writer.getReceivedExchanges().get(1).getMessage().getBody(FileMetrics.class);
        assertEquals(2, file2.getFileId());
        assertEquals(1, file1.getFileId());
        assertEquals(3, file1.rowsLoaded());

        QuantityStats temperature = file1.stats().get(new FileMetrics.Key(10, "temperature_c"));
        assertEquals(3, temperature.count());
        assertEquals(20.0, temperature.min());
        assertEquals(27.0, temperature.max());
        assertEquals(23.0, temperature.mean(), 1e-12);
        assertEquals(Math.sqrt(13.0), temperature.stddev(), 1e-12, "sample standard deviation, n - 1");
        assertEquals(Instant.parse("2017-07-01T00:00:02Z"), temperature.first());
        assertEquals(Instant.parse("2017-07-01T00:00:04Z"), temperature.last());

        QuantityStats humidity = file1.stats().get(new FileMetrics.Key(10, "humidity_pct"));
        assertEquals(2, humidity.count(), "an absent value is not counted");
        assertNull(file1.stats().get(new FileMetrics.Key(10, "pressure_hpa")));

        QuantityStats single = file2.stats().get(new FileMetrics.Key(11, "temperature_c"));
        assertNull(single.stddev(), "no standard deviation of a single value");
    }

    @Test
    void fileWithoutValidRowsCompletesOnItsSeal() throws Exception {
        MockEndpoint writer = advise();
        writer.expectedMessageCount(1);

        template.sendBody("direct:metrics-aggregator", sealed(5, 0));

        writer.assertIsSatisfied();
        assertTrue(writer.getReceivedExchanges().get(0).getMessage().getBody(FileMetrics.class).stats().isEmpty());
    }

    @Test
    void rowsMetAgainAfterARestartLeaveTheAggregateShortSoThatTheWriterComputesBySql() throws Exception {
        MockEndpoint writer = advise();
        writer.expectedMessageCount(1);

        // After a restart the rows come back already loaded: none inserted, all three seen.
        template.sendBody("direct:metrics-aggregator", new LoadedSlice(6, List.of(), 0, 3));
        template.sendBody("direct:metrics-aggregator", sealed(6, 3));

        writer.assertIsSatisfied();
        FileMetrics metrics = writer.getReceivedExchanges().get(0).getMessage().getBody(FileMetrics.class);
        assertEquals(0, metrics.rowsLoaded(), "nothing to fold in: the writer recomputes from the table");
        assertEquals(3, metrics.rowsSeen());
    }

    /** A slice whose rows were all inserted for the first time. */
    private static LoadedSlice slice(long fileId, List<SensorReading> readings) {
        return new LoadedSlice(fileId, readings, 0, readings.size());
    }
}
