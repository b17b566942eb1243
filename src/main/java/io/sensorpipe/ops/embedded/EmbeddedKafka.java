package io.sensorpipe.ops.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.jboss.logging.Logger;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A single-node KRaft broker in this JVM. Dev mode and tests share one, started once and stopped when
 * the JVM exits ({@link #bootstrapServers(Path, String)}); fault tests start their own and stop and
 * restart it on the same port and log directory.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);
    /** JVM-wide, so a dev-mode reload (new class loader) finds the running broker. */
    private static final String RUNNING = "sensorpipe.embedded.kafka.bootstrap-servers";
    static final int PARTITIONS = 3;

    private final Properties props;
    private final Path logDir;
    private final Path config;
    private final String bootstrap;
    private KafkaRaftServer server;

    private EmbeddedKafka(Properties props, Path logDir, Path config, String bootstrap) {
        this.props = props;
        this.logDir = logDir;
        this.config = config;
        this.bootstrap = bootstrap;
    }

    static synchronized String bootstrapServers(Path workDir, String topic, String... moreTopics) {
        String running = System.getProperty(RUNNING);
        if (running != null) {
            return running;
        }
        EmbeddedKafka kafka = start(workDir, topic);
        for (String more : moreTopics) {
            kafka.createTopic(more);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-shutdown"));
        System.setProperty(RUNNING, kafka.bootstrapServers());
        return kafka.bootstrapServers();
    }

    /** Formats a new log directory under {@code workDir}, starts a broker on free ports and creates the topic. */
    public static EmbeddedKafka start(Path workDir, String topic) {
        long start = System.nanoTime();
        try {
            int port = freePort();
            int controllerPort = freePort();
            Path logDir = Files.createTempDirectory(Files.createDirectories(workDir.toAbsolutePath()), "kafka-");
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
            props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", logDir.toString());
            props.put("num.partitions", Integer.toString(PARTITIONS));
            // A single node: every internal topic has one replica, or consumer groups hang silently.
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "1");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            Path config = logDir.resolveSibling(logDir.getFileName() + ".properties");
            try (var out = Files.newBufferedWriter(config)) {
                props.store(out, "embedded broker");
            }
            int formatted = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()}, new PrintStream(PrintStream.nullOutputStream()));
            if (formatted != 0) {
                throw new IllegalStateException("formatting the embedded Kafka log directory failed: " + formatted);
            }
            EmbeddedKafka kafka = new EmbeddedKafka(props, logDir, config, "localhost:" + port);
            kafka.startServer();
            createTopic(kafka.bootstrap, topic);
            LOG.infof("Embedded Kafka broker ready at %s (topic %s, %d partitions) in %d ms", kafka.bootstrap, topic,
                    PARTITIONS, (System.nanoTime() - start) / 1_000_000);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** Creates another topic (up front, see {@link #createTopic}). */
    public void createTopic(String topic) {
        createTopic(bootstrap, topic);
    }

    /** Stops the broker, keeping its log directory, as an outage would. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts the broker again on the same ports and log directory. */
    public synchronized void restart() {
        if (server == null) {
            startServer();
        }
    }

    private void startServer() {
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
    }

    /** Stops the broker and deletes its files. */
    @Override
    public synchronized void close() {
        stop();
        deleteRecursively(logDir);
        config.toFile().delete();
    }

    /**
     * Creates the topic up front and waits until its partitions answer: producing right after an
     * implicit creation can stall until the delivery timeout (KAFKA-15591).
     */
    private static void createTopic(String bootstrap, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            Map<TopicPartition, OffsetSpec> partitions = new java.util.HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic + " on the embedded broker", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf(e, "could not delete %s", dir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
