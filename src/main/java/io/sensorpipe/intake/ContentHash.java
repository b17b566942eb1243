package io.sensorpipe.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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

import io.sensorpipe.PipelineConfig;

/**
 * The SHA-256 of a file's content, read on a thread of its own so that a file whose reads stop
 * answering (a hung network file system) fails after {@code pipeline.limits.read-stall-timeout}
 * without progress, instead of holding the file consumer and every file after it. A hash still stuck
 * is not started again for the same file: the next attempt fails at once until it ends.
 */
@ApplicationScoped
public class ContentHash {

    private final ExecutorService hasher;
    private final long stallNanos;
    private final Map<Path, Future<String>> stuck = new ConcurrentHashMap<>();

    @Inject
    public ContentHash(CamelContext camel, PipelineConfig config) {
        this(camel.getExecutorServiceManager().newCachedThreadPool(ContentHash.class, "content-hash"),
                config.limits().readStallTimeout());
    }

    public ContentHash(ExecutorService hasher, Duration stallTimeout) {
        this.hasher = hasher;
        this.stallNanos = stallTimeout.toNanos();
    }

    @PreDestroy
    void stop() {
        hasher.shutdownNow();
    }

    /** The file's SHA-256 in hex; a read that makes no progress for the stall timeout fails. */
    public String of(Path file) throws IOException {
        Future<String> still = stuck.get(file);
        if (still != null) {
            if (!still.isDone()) {
                throw stalled(file);
            }
            stuck.remove(file);
        }
        AtomicLong progress = new AtomicLong(System.nanoTime());
        Future<String> hash = hasher.submit(() -> sha256(file, progress));
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

    private static String sha256(Path file, AtomicLong progress) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        // Never through a link: the file consumer takes regular files only, and one swapped for a link
        // since then fails here.
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
                progress.set(System.nanoTime());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
