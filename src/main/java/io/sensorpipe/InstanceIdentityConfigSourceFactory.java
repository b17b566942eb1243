package io.sensorpipe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Each instance's own identity in the loader's consumer group ({@code pipeline.loader.instance-id},
 * Kafka's {@code group.instance.id}), derived when not set: the host name and the HTTP port. Instances
 * started with the same configuration, on one host (where their ports must differ) or several, never
 * fence each other out, and an instance restarted where it ran keeps its id, so it takes its partitions
 * back without waiting for its old session to time out. With a random port ({@code 0}) the process id
 * stands in for the port. Its ordinal is below every file and the environment:
 * {@code PIPELINE_LOADER_INSTANCE_ID} (say, a StatefulSet's pod name) overrides it.
 */
public class InstanceIdentityConfigSourceFactory implements ConfigSourceFactory {

    static final String INSTANCE_ID = "pipeline.loader.instance-id";
    static final String HTTP_PORT = "quarkus.http.port";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue port = context.getValue(HTTP_PORT);
        return List.of(new MapBackedConfigSource("sensorpipe-instance-identity",
                Map.of(INSTANCE_ID, derived(port == null ? null : port.getValue())), 50) {
        });
    }

    /** {@code <host>-<port>}, or {@code <host>-pid<pid>} when the port is chosen at random. */
    static String derived(String httpPort) {
        String port = httpPort == null || httpPort.isBlank() ? "8080" : httpPort.trim();
        return host() + "-" + (port.equals("0") ? "pid" + ProcessHandle.current().pid() : port);
    }

    private static String host() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "sensorpipe";
            }
        }
        return host;
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }
}
