package io.sensorpipe.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import io.sensorpipe.testdata.Intakes;

/** What readiness lists as reads without progress: reads started and not ended, past the threshold. */
class ReadsInProgressTest {

    @Test
    void aReadIsListedWhileItRunsWithoutProgressAndNotOnceItEnds() {
        ReadsInProgress reads = new ReadsInProgress(0);
        FileIntake quiet = Intakes.of(1, Path.of("quiet\u001b.csv"), "00");
        FileIntake ended = Intakes.of(2, Path.of("ended.csv"), "00");
        reads.started(quiet);
        reads.started(ended);
        ended.readEnded();

        assertEquals(Map.of("quiet\\u001b.csv", 0L), reads.quiet(), "its name escaped, the ended read left out");
        reads.ended(quiet);
        assertEquals(Map.of(), reads.quiet());
        assertEquals(Map.of(), new ReadsInProgress().quiet());
    }
}
