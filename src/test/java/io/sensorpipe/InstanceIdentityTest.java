package io.sensorpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sensorpipe.testdata.TestConfig;

/** The loader's static member id: derived from the host and the HTTP port unless set; the setting wins. */
class InstanceIdentityTest {

    @Test
    void derivedFromTheHostAndTheHttpPortUnlessSet() {
        // The port as configured: the JVM that runs the tests may hold a test application's port as a system property.
        String byDefault = TestConfig.pipeline(Map.of("quarkus.http.port", "8080")).loader().instanceId();
        assertTrue(byDefault.endsWith("-8080"), byDefault);
        String other = TestConfig.pipeline(Map.of("quarkus.http.port", "8081")).loader().instanceId();
        assertEquals(byDefault.replace("-8080", "-8081"), other, "two instances on one host differ by their ports");
        assertEquals(byDefault, TestConfig.pipeline(Map.of("quarkus.http.port", "8080")).loader().instanceId(),
                "a restart keeps the id");
        String random = TestConfig.pipeline(Map.of("quarkus.http.port", "0")).loader().instanceId();
        assertEquals(byDefault.replace("-8080", "-pid" + ProcessHandle.current().pid()), random);
        assertNotEquals(byDefault, random);
        assertEquals("pod-7", TestConfig.pipeline(Map.of("pipeline.loader.instance-id", "pod-7", "quarkus.http.port", "8080"))
                .loader().instanceId());
    }
}
