package io.sensorpipe.routes;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.intake.IngestLedger;
import io.sensorpipe.intake.InputFiles;
import io.sensorpipe.ops.Folders;
import io.sensorpipe.quarantine.QualitySummary;
import io.sensorpipe.testdata.TestConfig;

/** {@link IngestLedger} with its table in memory, for route tests without a database. */
class InMemoryLedger extends IngestLedger {

    record Entry(String fileName, String sha256, long size, String status, Long rowsTotal, Long rowsQuarantined,
            String error, int failedReads) {
        Entry(String fileName, String sha256, long size, String status, Long rowsTotal, Long rowsQuarantined,
                String error) {
            this(fileName, sha256, size, status, rowsTotal, rowsQuarantined, error, 0);
        }
    }

    private final AtomicLong ids = new AtomicLong();
    final Map<Long, Entry> files = new ConcurrentHashMap<>();
    /** Shared with the quarantine writer and the file consumer, as in the application. */
    final InputFiles inputFiles;

    InMemoryLedger(Path dataDir) {
        this(dataDir, 50);
    }

    InMemoryLedger(Path dataDir, double maxRejectedPercent) {
        this(dataDir, maxRejectedPercent, new InputFiles());
    }

    private InMemoryLedger(Path dataDir, double maxRejectedPercent, InputFiles inputFiles) {
        super(null, inputFiles, dataDir, TestConfig.rules().version(), maxRejectedPercent,
                new Folders(dataDir.resolveSibling("quarantine"), dataDir.resolve(".done")),
                new io.sensorpipe.intake.ReadsInProgress(), new io.sensorpipe.intake.ContentHash(
                        java.util.concurrent.Executors.newCachedThreadPool(), java.time.Duration.ofSeconds(60)));
        this.inputFiles = inputFiles;
    }

    /** A content still PROCESSING is read again under its id (as after a failed read); any other is new. */
    @Override
    protected Arrival recordArrival(String name, String sha256, long size) {
        for (Map.Entry<Long, Entry> e : files.entrySet()) {
            if (e.getValue().sha256().equals(sha256) && "PROCESSING".equals(e.getValue().status())) {
                return new Arrival(Verdict.READ, e.getKey(), e.getKey(), e.getValue().failedReads());
            }
        }
        long id = ids.incrementAndGet();
        files.put(id, new Entry(name, sha256, size, "PROCESSING", null, null, null));
        return new Arrival(Verdict.READ, id);
    }

    @Override
    protected void recordQuality(long fileId, QualitySummary quality) {
        files.computeIfPresent(fileId, (id, e) -> new Entry(e.fileName(), e.sha256(), e.size(), e.status(),
                quality.rowsTotal(), quality.rowsRejected(), null));
    }

    @Override
    public int failedRead(long fileId, String error) {
        return files.computeIfPresent(fileId, (id, e) -> new Entry(e.fileName(), e.sha256(), e.size(), e.status(),
                e.rowsTotal(), e.rowsQuarantined(), error, e.failedReads() + 1)).failedReads();
    }

    @Override
    public long quarantined(FileIntake intake, String reason) {
        files.computeIfPresent(intake.fileId(), (id, e) -> new Entry(e.fileName(), e.sha256(), e.size(), "QUARANTINED",
                intake.rowsRead(), intake.rowsRead(), reason, e.failedReads()));
        return 0;
    }
}
