package io.sensorpipe.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.sensorpipe.records.CsvLine;
import io.sensorpipe.testdata.Intakes;

/** A read that stops making progress (a file system that no longer answers) fails instead of hanging. */
class RowChunkerStallTest {

    @Test
    void aReaderThatYieldsNothingForTheStallTimeoutFailsTheRead() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        // Records as camel-csv would hand them over, from a source whose next read blocks.
        Iterator<ParsedRecord> blocked = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }

            @Override
            public ParsedRecord next() {
                throw new UnsupportedOperationException();
            }
        };
        ExecutorService reader = Executors.newCachedThreadPool();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            RowChunker chunker = new RowChunker(250, reader, Duration.ofMillis(300));
            FileIntake intake = Intakes.of(1, Path.of("stuck.csv"), "00");
            Iterator<List<CsvLine>> chunks = chunker.chunks(blocked, intake,
                    new LineTrackingReader(new StringReader(""), 1024),
                    io.sensorpipe.testdata.TestConfig.layout("stuck.csv", io.sensorpipe.testdata.Csv.BME280_HEADER),
                    new DefaultExchange(camel));

            RowChunker.ReadStalledException e = assertThrows(RowChunker.ReadStalledException.class, chunks::hasNext);
            assertEquals("no progress reading stuck.csv for 0.3s (pipeline.limits.read-stall-timeout)", e.getMessage());
        } finally {
            never.countDown();
            reader.shutdownNow();
        }
    }
}
