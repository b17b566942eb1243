package io.sensorpipe.intake;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The files being read now, for readiness: a read that has taken no chunk for a while is reported
 * (it fails at {@code pipeline.limits.read-stall-timeout}). A file is added when its read starts and
 * removed when its exchange ends; the set holds only files in flight.
 */
@ApplicationScoped
public class ReadsInProgress {

    /** Reads quiet for this long are reported. */
    private final long quietSeconds;

    private final Set<FileIntake> reads = ConcurrentHashMap.newKeySet();

    public ReadsInProgress() {
        this(10);
    }

    ReadsInProgress(long quietSeconds) {
        this.quietSeconds = quietSeconds;
    }

    void started(FileIntake intake) {
        reads.add(intake);
    }

    void ended(FileIntake intake) {
        reads.remove(intake);
    }

    /** File name to seconds without progress, for each read quiet for the threshold (10 s) or more. */
    public Map<String, Long> quiet() {
        Map<String, Long> quiet = new TreeMap<>();
        for (FileIntake intake : reads) {
            long seconds = intake.secondsWithoutProgress();
            if (seconds >= quietSeconds) {
                quiet.put(DataFolderScreen.escaped(intake.fileName()), seconds);
            }
        }
        return quiet;
    }
}
