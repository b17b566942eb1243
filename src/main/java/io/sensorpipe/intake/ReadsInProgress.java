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

    /** Reads quieter than this are reported. */
    static final long QUIET_SECONDS = 10;

    private final Set<FileIntake> reads = ConcurrentHashMap.newKeySet();

    void started(FileIntake intake) {
        reads.add(intake);
    }

    void ended(FileIntake intake) {
        reads.remove(intake);
    }

    /** File name to seconds without progress, for each read quiet for {@value #QUIET_SECONDS} s or more. */
    public Map<String, Long> quiet() {
        Map<String, Long> quiet = new TreeMap<>();
        for (FileIntake intake : reads) {
            long seconds = intake.secondsWithoutProgress();
            if (seconds >= QUIET_SECONDS) {
                quiet.put(DataFolderScreen.escaped(intake.fileName()), seconds);
            }
        }
        return quiet;
    }
}
