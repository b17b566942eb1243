package io.sensorpipe.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
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

    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    /**
     * The content hash of {@code X.csv.gz} is that of the content it unpacks to (every gzip member): the same
     * as {@code X.csv}'s. A file named .gz that cannot be unpacked whole is known by its bytes only.
     */
    @Test
    void aCompressedFileIsKnownByWhatItUnpacksTo() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "content-hash-test"));
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            ContentHash hash = new ContentHash(threads, Duration.ofSeconds(30), new BoundedContent.Limits(0, 100));
            ByteArrayOutputStream members = new ByteArrayOutputStream();
            for (String part : new String[] {"a", "bc"}) {
                try (OutputStream gz = new GZIPOutputStream(members)) {
                    gz.write(part.getBytes(StandardCharsets.US_ASCII));
                }
            }
            Path compressed = Files.write(dir.resolve("abc-" + System.nanoTime() + ".csv.gz"), members.toByteArray());
            String bytes = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(members.toByteArray()));
            assertEquals(new ContentHash.Identity(bytes, ABC), hash.of(compressed));

            Path plainNamedGz = Files.writeString(dir.resolve("plain-" + System.nanoTime() + ".csv.gz"), "abc");
            assertEquals(new ContentHash.Identity(ABC, null), hash.of(plainNamedGz), "not gzip: known by its bytes");

            // 1 MB of zeros packs to about 1 KB: past a ratio of 100, unpacked no further.
            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(bomb)) {
                gz.write(new byte[1 << 20]);
            }
            Path bombFile = Files.write(dir.resolve("bomb-" + System.nanoTime() + ".csv.gz"), bomb.toByteArray());
            assertEquals(new ContentHash.Identity(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(bomb.toByteArray())), null), hash.of(bombFile), "past a bound: known by its bytes");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aHashWithoutProgressFailsIsNotStartedTwiceAndWorksOnceTheReadEnds() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "content-hash-test"));
        Path fifo = dir.resolve("stuck-" + System.nanoTime());
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            ContentHash hash = new ContentHash(threads, Duration.ofMillis(300), BoundedContent.Limits.NONE);
            RowChunker.ReadStalledException e = assertThrows(RowChunker.ReadStalledException.class, () -> hash.of(fifo));
            assertEquals("no progress reading " + fifo.getFileName() + " for 0.3s (pipeline.limits.read-stall-timeout)",
                    e.getMessage());
            assertThrows(RowChunker.ReadStalledException.class, () -> hash.of(fifo), "still stuck: fails at once");

            // The stuck read ends (a writer comes and goes: end of file); the next attempt hashes.
            try (OutputStream writer = Files.newOutputStream(fifo)) {
                writer.flush();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(new ContentHash.Identity(EMPTY, EMPTY),
                    hash.of(Files.writeString(dir.resolve("empty-" + System.nanoTime()), ""))));
            Path regular = Files.writeString(dir.resolve("abc-" + System.nanoTime()), "abc");
            assertEquals(new ContentHash.Identity(ABC, ABC), hash.of(regular));
        } finally {
            threads.shutdownNow();
            Files.deleteIfExists(fifo);
        }
    }
}
