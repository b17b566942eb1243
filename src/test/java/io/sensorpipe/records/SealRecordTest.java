package io.sensorpipe.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A seal crosses the readings topic whole: every field back as it was, and a broken one is a poison record. */
class SealRecordTest {

    @Test
    void aSealRoundTripsThroughItsRecord() {
        FileSealed sealed = new FileSealed(42, "näme \u2028 x.csv", Path.of("/data/näme \u2028 x.csv").toAbsolutePath(),
                9_762, 3_741, 6_021, 1_764_000_000_000L, new QualitySummary("näme \u2028 x.csv", "ab".repeat(32),
                        "2026-11-21.1", "sofia-bme280", "2026-11-29.1", 9_762, 3_741, 0, 6_023, 9_763, Map.of("pressure/range", 3_741L)), false);

        String value = SealRecord.encode(sealed);

        assertTrue(SealRecord.isSeal(value));
        assertFalse(value.contains("\n"), "one line");
        assertEquals(sealed, SealRecord.decode(value));
    }

    @Test
    void aBrokenSealIsMalformed() {
        PoisonRecordException e = assertThrows(PoisonRecordException.class,
                () -> SealRecord.decode(SealRecord.SEAL + "\t{\"fileId\":"));
        assertEquals(DeadLetterReason.MALFORMED, e.reason());
        assertFalse(SealRecord.isSeal("#readings-chunk\t1\tx.csv\tbme280"));
    }
}
