package io.sensorpipe.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Each instance's own identity in the loader's consumer group ({@code pipeline.loader.instance-id},
 * Kafka's {@code group.instance.id}), derived when not set: the host name and the process id, so
 * that instances started with the same configuration, on one host or several, never fence each other
 * out. Its ordinal is below every file and the environment: {@code PIPELINE_LOADER_INSTANCE_ID} (say, a
 * StatefulSet's pod name) overrides it, and keeps the id across restarts, which lets a restarted
 * instance take its partitions back without waiting for its old session to time out.
 */
public class InstanceIdentityConfigSourceFactory implements ConfigSourceFactory {

    static final String INSTANCE_ID = "pipeline.loader.instance-id";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new MapBackedConfigSource("sensorpipe-instance-identity", Map.of(INSTANCE_ID, derived()), 50) {
        });
    }

    /** {@code <host>-<pid>}: unique among the processes alive at one time. */
    static String derived() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "sensorpipe";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }
}
