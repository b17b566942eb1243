package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.sensorpipe.load.DeadLetter;
import io.sensorpipe.load.LoadOutcome;
import io.sensorpipe.load.OffsetCommitter;
import io.sensorpipe.load.ReadingBatchWriter;
import io.sensorpipe.records.DeadLetterReason;
import io.sensorpipe.records.FilePoisoned;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.LoadedSlice;
import io.sensorpipe.records.PoisonRecordException;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.testdata.Values;

class KafkaToJdbcBatchRouteTest extends RouteTestSupport {

    /** Which (partition, offset) pairs were committed, in order. */
    private final List<String> commits = new CopyOnWriteArrayList<>();

    /** Batches the last-resort handler dead-lettered whole, with the exception it was given. */
    private final List<Throwable> deadLetteredBatches = new CopyOnWriteArrayList<>();

    @Override
    protected List<String> routeFiles() {
        return List.of("error-handling.camel.yaml", "kafka-to-jdbc-batch.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("offsetCommitter", new OffsetCommitter());
        registry.bind(io.sensorpipe.metrics.CompletionThread.POOL, java.util.concurrent.Executors.newFixedThreadPool(2));
        // Only the last resort is called on it here (insert-batch is a mock): it records what it was given.
        registry.bind("readingBatchWriter", new ReadingBatchWriter(null, null, null, null,
                new io.sensorpipe.load.StoredQuantities(null, io.sensorpipe.testdata.TestConfig.sources()),
                io.sensorpipe.testdata.TestConfig.sources()) {
            @Override
            public LoadOutcome deadLetterAll(List<Exchange> records, Throwable cause) {
                deadLetteredBatches.add(cause);
                List<DeadLetter> letters = records.stream()
                        .map(r -> DeadLetter.of(r, null, DeadLetterReason.LOAD_FAILED, cause)).toList();
                return new LoadOutcome(List.of(), letters, Set.of(), List.of());
            }
        });
    }

    private void advise() throws Exception {
        AdviceWith.adviceWith(context, "kafka-to-jdbc-batch", route -> {
            route.replaceFromWith("direct:batch");
            route.weaveById("insert-batch").replace().to("mock:jdbc");
            route.weaveById("to-dead-letter").replace().to("mock:dead-letters");
            route.weaveById("to-metrics").replace().to("mock:metrics");
            route.weaveById("seal-to-metrics").replace().to("mock:metrics");
        });
        context.start();
    }

    private static LoadOutcome loaded(LoadedSlice... slices) {
        return new LoadOutcome(List.of(slices), List.of(), Set.of(), List.of());
    }

    private Exchange record(int partition, long offset) {
        Exchange record = new DefaultExchange(context);
        record.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        record.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        record.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT,
                (KafkaManualCommit) () -> commits.add(partition + ":" + offset));
        return record;
    }

    private static SensorReading reading(long fileId, long line) {
        return new SensorReading(fileId, line, "f.csv", "bme280", 1, null, null, null, Instant.EPOCH, Values.of("temperature", 20.0), "raw");
    }

    @Test
    void offsetsAreCommittedPerPartitionAfterTheInsertAndAfterSlicesAndSealsWentToTheMetrics() throws Exception {
        advise();
        MockEndpoint jdbc = getMockEndpoint("mock:jdbc");
        FileSealed seal = new FileSealed(2, "f2.csv", java.nio.file.Path.of("f2.csv"), 1, 0, 1, 0, null, false);
        jdbc.whenAnyExchangeReceived(exchange -> {
            assertEquals(List.of(), commits, "nothing is committed before the rows are in the database");
            exchange.getMessage().setBody(new LoadOutcome(List.of(slice(1, List.of(reading(1, 2), reading(1, 3))),
                    slice(2, List.of(reading(2, 2)))), List.of(), Set.of(), List.of(seal)));
        });
        MockEndpoint metrics = getMockEndpoint("mock:metrics");
        metrics.expectedMessageCount(3);
        metrics.whenAnyExchangeReceived(exchange -> assertEquals(List.of(), commits,
                "a file whose seal is in the batch is completed before the offsets move"));

        List<Exchange> batch = new ArrayList<>(List.of(record(0, 10), record(1, 4), record(0, 11), record(1, 5),
                record(2, 7)));
        template.sendBody("direct:batch", batch);

        metrics.assertIsSatisfied();
        assertEquals(List.of("0:11", "1:5", "2:7"), commits, "the last record of each partition commits");
        assertEquals(1, assertInstanceOf(LoadedSlice.class, metrics.getReceivedExchanges().get(0).getMessage().getBody())
                .fileId());
        assertEquals(seal, metrics.getReceivedExchanges().get(2).getMessage().getBody(), "the seal after the slices");
    }

    @Test
    void aFailedInsertIsRetriedAndCommitsOnlyAfterItSucceeds() throws Exception {
        advise();
        AtomicInteger attempts = new AtomicInteger();
        MockEndpoint jdbc = getMockEndpoint("mock:jdbc");
        jdbc.whenAnyExchangeReceived(exchange -> {
            if (attempts.incrementAndGet() < 3) {
                throw new java.sql.SQLTransientConnectionException("database is away");
            }
            exchange.getMessage().setBody(loaded(slice(1, List.of(reading(1, 2)))));
        });
        MockEndpoint metrics = getMockEndpoint("mock:metrics");
        metrics.expectedMessageCount(1);

        template.sendBody("direct:batch", new ArrayList<>(List.of(record(0, 1))));

        metrics.assertIsSatisfied(10_000);
        assertEquals(3, attempts.get());
        assertEquals(List.of("0:1"), commits, "committed once, after the successful attempt");
    }

    @Test
    void aCommitRefusedAfterARebalanceDoesNotHoldUpTheLoadedRows() throws Exception {
        advise();
        getMockEndpoint("mock:jdbc").whenAnyExchangeReceived(exchange -> exchange.getMessage()
                .setBody(loaded(slice(1, List.of(reading(1, 2))))));
        MockEndpoint metrics = getMockEndpoint("mock:metrics");
        metrics.expectedMessageCount(1);
        Exchange record = record(0, 1);
        record.getMessage().setHeader(KafkaConstants.MANUAL_COMMIT, (KafkaManualCommit) () -> {
            throw new org.apache.kafka.clients.consumer.CommitFailedException();
        });

        Exchange result = template.send("direct:batch", e -> e.getMessage().setBody(new ArrayList<>(List.of(record))));

        metrics.assertIsSatisfied();
        assertEquals(null, result.getException(), "the batch is loaded; its records will be read again and skipped");
    }

    @Test
    void aConnectionFailureIsRetriedUntilTheDatabaseReturns() throws Exception {
        advise();
        AtomicInteger attempts = new AtomicInteger();
        getMockEndpoint("mock:jdbc").whenAnyExchangeReceived(exchange -> {
            if (attempts.incrementAndGet() < 6) {
                // what pgjdbc throws while PostgreSQL is down: more attempts than the bound for other failures
                throw new org.postgresql.util.PSQLException("Connection refused",
                        org.postgresql.util.PSQLState.CONNECTION_UNABLE_TO_CONNECT);
            }
            exchange.getMessage().setBody(loaded(slice(1, List.of(reading(1, 2)))));
        });
        MockEndpoint metrics = getMockEndpoint("mock:metrics");
        metrics.expectedMessageCount(1);
        metrics.setResultWaitTime(60_000);

        template.sendBody("direct:batch", new ArrayList<>(List.of(record(0, 1))));

        metrics.assertIsSatisfied();
        assertEquals(6, attempts.get(), "retried for as long as the database was away");
        assertEquals(List.of(), deadLetteredBatches);
        assertEquals(List.of("0:1"), commits);
    }

    @Test
    void aDeterministicFailureIsRetriedTwiceThenItsBatchIsDeadLetteredAndCommitted() throws Exception {
        advise();
        AtomicInteger attempts = new AtomicInteger();
        getMockEndpoint("mock:jdbc").whenAnyExchangeReceived(exchange -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("a defect");
        });
        MockEndpoint deadLetters = getMockEndpoint("mock:dead-letters");
        deadLetters.expectedMessageCount(2);
        deadLetters.whenAnyExchangeReceived(exchange -> assertEquals(List.of(), commits,
                "dead letters are on their topic before the offsets move past them"));

        Exchange result = template.send("direct:batch", e -> e.getMessage().setBody(new ArrayList<>(List.of(
                record(0, 7), record(0, 8)))));

        deadLetters.assertIsSatisfied();
        assertEquals(3, attempts.get(), "tried once and retried pipeline.failures.retries (2) times, no more");
        assertEquals(1, deadLetteredBatches.size());
        assertInstanceOf(IllegalStateException.class, deadLetteredBatches.get(0));
        assertEquals(List.of("0:8"), commits, "the loader moves on past the batch");
        assertEquals(null, result.getException());
    }

    @Test
    void deadLettersOfABatchArePublishedBeforeItsOffsetsAreCommitted() throws Exception {
        advise();
        getMockEndpoint("mock:jdbc").whenAnyExchangeReceived(exchange -> {
            @SuppressWarnings("unchecked")
            List<Exchange> records = exchange.getMessage().getBody(List.class);
            exchange.getMessage().setBody(new LoadOutcome(List.of(slice(1, List.of(reading(1, 2)))),
                    List.of(DeadLetter.of(records.get(1), 4L, DeadLetterReason.MALFORMED,
                            new PoisonRecordException(DeadLetterReason.MALFORMED, "truncated"))), Set.of(4L), List.of()));
        });
        MockEndpoint deadLetters = getMockEndpoint("mock:dead-letters");
        deadLetters.expectedMessageCount(1);
        deadLetters.whenAnyExchangeReceived(exchange -> assertEquals(List.of(), commits));
        MockEndpoint metrics = getMockEndpoint("mock:metrics");
        metrics.expectedMessageCount(2);

        template.sendBody("direct:batch", new ArrayList<>(List.of(record(0, 1), record(0, 2), record(1, 9))));

        deadLetters.assertIsSatisfied();
        metrics.assertIsSatisfied();
        assertEquals(List.of("0:2", "1:9"), commits);
        assertInstanceOf(LoadedSlice.class, metrics.getReceivedExchanges().get(0).getMessage().getBody());
        assertEquals(4L, assertInstanceOf(FilePoisoned.class, metrics.getReceivedExchanges().get(1).getMessage()
                .getBody()).fileId(), "the aggregator hears that file 4 will not complete");
    }

    /** A slice whose rows were all inserted for the first time. */
    private static LoadedSlice slice(long fileId, List<SensorReading> readings) {
        return new LoadedSlice(fileId, readings, 0, readings.size());
    }
}
