package io.sensorpipe.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sensorpipe.intake.FileClaims;

/**
 * The claims that give each input file to one instance, several "instances" (each its own
 * {@link FileClaims} with its own keep-alive) on one real PostgreSQL database.
 */
class FileClaimsTest {

    private static final Duration EXPIRY = Duration.ofSeconds(3);

    private final List<DefaultCamelContext> contexts = new ArrayList<>();
    private final List<FileClaims> instances = new ArrayList<>();
    private DataSource database;

    @BeforeEach
    void database() {
        database = LedgerDatabase.fresh();
    }

    @AfterEach
    void stop() {
        instances.forEach(FileClaims::shutdown);
        contexts.forEach(DefaultCamelContext::stop);
    }

    private FileClaims instance() {
        DefaultCamelContext context = new DefaultCamelContext();
        context.start();
        contexts.add(context);
        FileClaims claims = new FileClaims(database, context, EXPIRY);
        claims.start();
        instances.add(claims);
        return claims;
    }

    @Test
    void aFileClaimedByOneInstanceIsRefusedToAnotherUntilItIsLetGo() {
        FileClaims a = instance();
        FileClaims b = instance();
        assertTrue(a.add("one.csv"));
        assertFalse(b.add("one.csv"), "held by a");
        assertFalse(a.add("one.csv"), "a claim is taken once");
        assertTrue(b.add("two.csv"), "other files are free");
        assertTrue(a.remove("one.csv"));
        assertTrue(b.add("one.csv"), "let go by a");
    }

    @Test
    void instancesClaimingTheSameFilesAtOnceGetEachFileOnce() throws Exception {
        int files = 200;
        List<FileClaims> racers = List.of(instance(), instance(), instance(), instance());
        Map<String, AtomicInteger> winners = new ConcurrentHashMap<>();
        race(racers, files, winners);
        assertEquals(files, winners.size());
        winners.forEach((file, count) -> assertEquals(1, count.get(), file + " claimed by " + count + " instances"));
    }

    @Test
    void instancesTakingOverTheSameExpiredClaimsAtOnceGetEachFileOnce() throws Exception {
        int files = 200;
        // Claims of an instance that died: not refreshed for twice the expiry.
        Timestamp longAgo = new Timestamp(System.currentTimeMillis() - 2 * EXPIRY.toMillis());
        try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO file_claim (processorName, messageId, createdAt) VALUES ('csv-intake', ?, ?)")) {
            for (int i = 0; i < files; i++) {
                ps.setString(1, "file-" + i + ".csv");
                ps.setTimestamp(2, longAgo);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<FileClaims> racers = List.of(instance(), instance(), instance(), instance());
        Map<String, AtomicInteger> winners = new ConcurrentHashMap<>();
        race(racers, files, winners);
        assertEquals(files, winners.size(), "every expired claim is taken over");
        winners.forEach((file, count) -> assertEquals(1, count.get(), file + " taken over by " + count + " instances"));
    }

    @Test
    void aClaimTakenOverIsKeptAliveByItsNewHolder() throws Exception {
        Timestamp longAgo = new Timestamp(System.currentTimeMillis() - 2 * EXPIRY.toMillis());
        try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO file_claim (processorName, messageId, createdAt) VALUES ('csv-intake', 'orphan.csv', ?)")) {
            ps.setTimestamp(1, longAgo);
            ps.executeUpdate();
        }
        FileClaims survivor = instance();
        assertTrue(survivor.add("orphan.csv"), "an expired claim is taken over");
        Timestamp takenOver = refreshedAt("orphan.csv");
        // The keep-alive refreshes it (every third of the expiry): it never expires while its holder lives.
        await().atMost(Duration.ofSeconds(10)).until(() -> refreshedAt("orphan.csv").after(takenOver));
        await().atMost(Duration.ofSeconds(10)).until(() -> refreshedAt("orphan.csv").getTime()
                > takenOver.getTime() + EXPIRY.toMillis());
        assertFalse(instance().add("orphan.csv"), "still held past its first expiry");
    }

    @Test
    void theClaimsOfAStoppedInstanceExpireAndAreTakenOver() {
        FileClaims dying = instance();
        assertTrue(dying.add("held.csv"));
        dying.shutdown();
        FileClaims survivor = instance();
        assertFalse(survivor.add("held.csv"), "not yet expired");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> survivor.add("held.csv"));
    }

    private Timestamp refreshedAt(String file) throws Exception {
        try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT createdAt FROM file_claim WHERE messageId = ?")) {
            ps.setString(1, file);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1);
            }
        }
    }

    /** Every instance, on a thread of its own, claims every file in the same order, all starting together. */
    private static void race(List<FileClaims> racers, int files, Map<String, AtomicInteger> winners) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(racers.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (FileClaims racer : racers) {
            runs.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < files; i++) {
                    String file = "file-" + i + ".csv";
                    if (racer.add(file)) {
                        winners.computeIfAbsent(file, f -> new AtomicInteger()).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> run : runs) {
            run.get(2, TimeUnit.MINUTES);
        }
        threads.shutdown();
    }
}
