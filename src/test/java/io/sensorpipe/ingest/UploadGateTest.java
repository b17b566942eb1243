package io.sensorpipe.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sensorpipe.testdata.TestConfig;

/** The checks made before an upload's body is read, where they need no server. */
class UploadGateTest {

    @Test
    void theEndpointOnWithoutATokenStopsTheStart() {
        UploadGate gate = new UploadGate(TestConfig.pipeline(Map.of("pipeline.ingest.enabled", "true",
                "pipeline.ingest.tokens", " ")), null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gate.check(null));
        assertEquals("POST /ingest is on (pipeline.ingest.enabled=true) but no token is set: set PIPELINE_INGEST_TOKENS",
                e.getMessage());
    }

    @Test
    void onlyAConfiguredBearerTokenNamesAClientAndNeverTheTokenItself() {
        UploadGate gate = new UploadGate(TestConfig.pipeline(Map.of("pipeline.ingest.enabled", "true",
                "pipeline.ingest.tokens", "alpha,beta")), null);
        // SHA-256("alpha") = 8ed3f6ad685b959e...: its first 16 hex digits name the client.
        assertEquals("8ed3f6ad685b959e", gate.client("Bearer alpha"));
        assertEquals("8ed3f6ad685b959e", gate.client("bearer alpha"));
        assertEquals(gate.client("Bearer beta"), gate.client("Bearer  beta "));
        assertNull(gate.client("Bearer alph"));
        assertNull(gate.client("Bearer alphaa"));
        assertNull(gate.client("Basic YWxwaGE="));
        assertNull(gate.client(null));
    }

    @Test
    void namesThatCannotBeAFileOfTheDataFolderAreRefused() {
        assertNull(UploadGate.badName("sensor 2040 (1).csv.gz"));
        assertEquals("the file name is missing: POST /ingest?name=NAME.csv", UploadGate.badName(""));
        assertEquals("the file name must end in .csv or .csv.gz", UploadGate.badName("x.txt"));
        for (String bad : new String[] {"../x.csv", "a/b.csv", ".hidden.csv", "line\nbreak.csv", "back\\slash.csv"}) {
            assertEquals("the file name must be a plain name: no path, no leading dot, no control characters",
                    UploadGate.badName(bad), bad);
        }
        assertEquals("the file name is longer than 200 bytes", UploadGate.badName("é".repeat(99) + "x.csv"));
    }
}
