package io.sensorpipe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sensorpipe.testdata.TestConfig;

/** The loader's static member id: derived from the host and this process unless set; the setting wins. */
class InstanceIdentityTest {

    @Test
    void derivedFromTheHostAndTheProcessUnlessSet() {
        String derived = TestConfig.pipeline(Map.of()).loader().instanceId();
        assertEquals(InstanceIdentityConfigSourceFactory.derived(), derived);
        assertEquals("-" + ProcessHandle.current().pid(), derived.substring(derived.lastIndexOf('-')));
        assertEquals("pod-7", TestConfig.pipeline(Map.of("pipeline.loader.instance-id", "pod-7")).loader().instanceId());
    }
}
