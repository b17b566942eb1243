package io.sensorpipe.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What readiness lists as reads without progress: reads started and not ended, past the threshold. */
class ReadsInProgressTest {

    @Test
    void aReadIsListedWhileItRunsWithoutProgressAndNotOnceItEnds() {
        ReadsInProgress reads = new ReadsInProgress(0);
        FileIntake quiet = new FileIntake(1, "quiet\u001b.csv", Path.of("quiet.csv"), "00", 0);
        FileIntake ended = new FileIntake(2, "ended.csv", Path.of("ended.csv"), "00", 0);
        reads.started(quiet);
        reads.started(ended);
        ended.readEnded();

        assertEquals(Map.of("quiet\\u001b.csv", 0L), reads.quiet(), "its name escaped, the ended read left out");
        reads.ended(quiet);
        assertEquals(Map.of(), reads.quiet());
        assertEquals(Map.of(), new ReadsInProgress().quiet());
    }
}
