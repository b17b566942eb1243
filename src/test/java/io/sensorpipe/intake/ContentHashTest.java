package io.sensorpipe.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

/**
 * Hashing a file whose reads stop answering (here a FIFO no one writes to: opening it blocks, as a
 * read on a hung network mount would) fails after the stall timeout instead of holding the intake.
 */
class ContentHashTest {

    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void aHashWithoutProgressFailsIsNotStartedTwiceAndWorksOnceTheReadEnds() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "content-hash-test"));
        Path fifo = dir.resolve("stuck-" + System.nanoTime());
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            ContentHash hash = new ContentHash(threads, Duration.ofMillis(300));
            RowChunker.ReadStalledException e = assertThrows(RowChunker.ReadStalledException.class, () -> hash.of(fifo));
            assertEquals("no progress reading " + fifo.getFileName() + " for 0.3s (pipeline.limits.read-stall-timeout)",
                    e.getMessage());
            assertThrows(RowChunker.ReadStalledException.class, () -> hash.of(fifo), "still stuck: fails at once");

            // The stuck read ends (a writer comes and goes: end of file); the next attempt hashes.
            try (OutputStream writer = Files.newOutputStream(fifo)) {
                writer.flush();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(EMPTY, hash.of(
                    Files.writeString(dir.resolve("empty-" + System.nanoTime()), ""))));
            Path regular = Files.writeString(dir.resolve("abc-" + System.nanoTime()), "abc");
            assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hash.of(regular));
        } finally {
            threads.shutdownNow();
            Files.deleteIfExists(fifo);
        }
    }
}
