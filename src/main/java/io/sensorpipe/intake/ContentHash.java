package io.sensorpipe.intake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import io.sensorpipe.PipelineConfig;

/**
 * A file's identity: the SHA-256 of its bytes as dropped, and the SHA-256 of its content (after
 * decompression for {@code X.csv.gz}, within the same bounds as the read), which is what exactly-once
 * goes by, so that {@code x.csv} and {@code x.csv.gz} of the same rows are one content. Read on a thread
 * of its own so that a file whose reads stop answering (a hung network file system) fails after
 * {@code pipeline.limits.read-stall-timeout} without progress, instead of holding the file consumer and
 * every file after it. A hash still stuck is not started again for the same file: the next attempt
 * fails at once until it ends.
 */
@ApplicationScoped
public class ContentHash {

    /**
     * @param sha256 of the bytes as dropped
     * @param contentSha256 of the content after decompression (the same as {@code sha256} for a file
     *        that is not compressed); null when the content cannot be read to its end (not gzip, cut
     *        short, past a bound): the read then quarantines the file, saying why
     */
    public record Identity(String sha256, String contentSha256) {
    }

    private final ExecutorService hasher;
    private final long stallNanos;
    private final BoundedContent.Limits limits;
    private final Map<Path, Future<Identity>> stuck = new ConcurrentHashMap<>();

    @Inject
    public ContentHash(CamelContext camel, PipelineConfig config) {
        this(camel.getExecutorServiceManager().newCachedThreadPool(ContentHash.class, "content-hash"),
                config.limits().readStallTimeout(), BoundedContent.Limits.of(config));
    }

    public ContentHash(ExecutorService hasher, Duration stallTimeout, BoundedContent.Limits limits) {
        this.hasher = hasher;
        this.stallNanos = stallTimeout.toNanos();
        this.limits = limits;
    }

    @PreDestroy
    void stop() {
        hasher.shutdownNow();
    }

    /** The file's hashes in hex; a read that makes no progress for the stall timeout fails. */
    public Identity of(Path file) throws IOException {
        Future<Identity> still = stuck.get(file);
        if (still != null) {
            if (!still.isDone()) {
                throw stalled(file);
            }
            stuck.remove(file);
        }
        AtomicLong progress = new AtomicLong(System.nanoTime());
        Future<Identity> hash = hasher.submit(() -> identity(file, progress));
        while (true) {
            try {
                return hash.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() - progress.get() > stallNanos) {
                    hash.cancel(true);
                    stuck.put(file, hash);
                    throw stalled(file);
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                throw new IOException("hashing " + file.getFileName() + " failed", e.getCause());
            } catch (InterruptedException e) {
                hash.cancel(true);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while hashing " + file.getFileName(), e);
            }
        }
    }

    private RowChunker.ReadStalledException stalled(Path file) {
        return new RowChunker.ReadStalledException(String.format(Locale.ROOT,
                "no progress reading %s for %s (pipeline.limits.read-stall-timeout)", file.getFileName(),
                Duration.ofNanos(stallNanos).toString().substring(2).toLowerCase(Locale.ROOT)));
    }

    private Identity identity(Path file, AtomicLong progress) {
        MessageDigest bytes = sha256();
        // Never through a link: the file consumer takes regular files only, and one swapped for a link
        // since then fails here.
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), bytes)) {
            if (!InputNames.isGzip(file.getFileName().toString())) {
                drain(in, progress);
                String hex = HexFormat.of().formatHex(bytes.digest());
                return new Identity(hex, hex);
            }
            MessageDigest content = sha256();
            boolean whole;
            // Not closed: closing it would close the file before the rest of its bytes are hashed.
            try {
                InputStream gzip = GzipCompressorInputStream.builder()
                        .setInputStream(new BufferedInputStream(in, 64 * 1024))
                        .setDecompressConcatenated(true).get();
                drain(new DigestInputStream(new BoundedContent(gzip, file, Files.readAttributes(file,
                        java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size(), true, limits), content),
                        progress);
                whole = true;
            } catch (IOException | UnreadableFileException e) {
                // Not gzip, cut short or past a bound: identified by its bytes; the read says what is wrong.
                whole = false;
            }
            drain(in, progress);
            return new Identity(HexFormat.of().formatHex(bytes.digest()),
                    whole ? HexFormat.of().formatHex(content.digest()) : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drain(InputStream in, AtomicLong progress) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (in.read(buffer) >= 0) {
            progress.set(System.nanoTime());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
