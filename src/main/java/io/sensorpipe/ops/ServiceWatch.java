package io.sensorpipe.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.support.Folders;
import io.sensorpipe.support.PipelineMetrics;

/**
 * Watches PostgreSQL, the Kafka broker and the folders the pipeline writes to (called by the
 * {@code service-watch} route) and degrades the pipeline while one of them is away: no new file is
 * picked up while either service is unreachable or a folder cannot be written, and
 * the loader's Kafka consumer is paused (it keeps its group membership) while the database is. What
 * is in flight waits in its route's bounded exponential backoff. Both resume by themselves when the
 * service is back. The readiness check reports what this watch last saw.
 */
@ApplicationScoped
@Named("serviceWatch")
public class ServiceWatch {

    private static final Logger LOG = Logger.getLogger(ServiceWatch.class);
    static final String INTAKE_ROUTE = "csv-intake";
    static final String LOADER_ROUTE = "kafka-to-jdbc-batch";
    private static final int PROBE_TIMEOUT_SECONDS = 3;

    private final DataSource dataSource;
    private final CamelContext camel;
    private final String bootstrapServers;
    private Admin admin;
    private volatile Status database = Status.unknown();
    private volatile Status broker = Status.unknown();
    private volatile Map<String, String> folderProblems = Map.of();
    private boolean intakeSuspended;
    private boolean loaderSuspended;

    /** Whether a service answered at the last check, and if not, why. */
    public record Status(Boolean up, String detail) {
        static Status unknown() {
            return new Status(null, "not checked yet");
        }

        public boolean isUp() {
            return Boolean.TRUE.equals(up);
        }
    }

    private final PipelineConfig config;
    private final PipelineMetrics metrics;

    private final Folders folders;

    public ServiceWatch(DataSource dataSource, CamelContext camel,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, PipelineConfig config,
            PipelineMetrics metrics, Folders folders) {
        this.folders = folders;
        this.dataSource = dataSource;
        this.camel = camel;
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.metrics = metrics;
    }

    /** Probes both services and suspends or resumes the consumers accordingly. */
    public synchronized void check() {
        Status db = probeDatabase();
        Status kafka = probeBroker();
        Map<String, String> unwritable = folders.problems();
        report("PostgreSQL", database, db);
        report("Kafka broker", broker, kafka);
        if (!unwritable.equals(folderProblems)) {
            if (unwritable.isEmpty()) {
                LOG.infof("The folders the pipeline writes to are writable again");
            } else {
                LOG.warnf("Cannot write to %s", unwritable);
            }
        }
        database = db;
        broker = kafka;
        folderProblems = unwritable;
        intakeSuspended = suspendWhile(INTAKE_ROUTE, !db.isUp() || !kafka.isUp() || !unwritable.isEmpty(),
                intakeSuspended, "no new file is read");
        loaderSuspended = suspendWhile(LOADER_ROUTE, !db.isUp(), loaderSuspended,
                "the loader's Kafka consumer is paused");
        refreshGauges(db.isUp(), kafka.isUp());
    }

    /** Files per status, the loader's lag and the oldest waiting file, for {@link PipelineMetrics}. */
    private void refreshGauges(boolean databaseUp, boolean brokerUp) {
        try {
            if (databaseUp) {
                metrics.files(filesPerStatus());
            }
            if (brokerUp) {
                metrics.lag(loaderLag());
            }
            metrics.oldestWaiting(oldestWaitingSeconds());
        } catch (Exception e) {
            LOG.debugf(e, "could not refresh the pipeline gauges");
        }
    }

    private Map<String, Long> filesPerStatus() throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT status, count(*) FROM ingest_file GROUP BY status")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private long loaderLag() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin()
                .listConsumerGroupOffsets(config.loader().groupId()).partitionsToOffsetAndMetadata()
                .get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var partition : admin().describeTopics(List.of(config.topic().readings())).allTopicNames()
                .get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS).get(config.topic().readings()).partitions()) {
            latest.put(new TopicPartition(config.topic().readings(), partition.partition()), OffsetSpec.latest());
        }
        long lag = 0;
        for (var end : admin().listOffsets(latest).all().get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    private long oldestWaitingSeconds() throws IOException {
        Path dataDir = Path.of(config.dataDir());
        if (!Files.isDirectory(dataDir)) {
            return 0;
        }
        long oldest = Long.MAX_VALUE;
        try (var files = Files.list(dataDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file) && io.sensorpipe.intake.InputNames.isInput(file.getFileName().toString())) {
                    oldest = Math.min(oldest, Files.getLastModifiedTime(file).toMillis());
                }
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000);
    }

    public Status database() {
        return database;
    }

    public Status broker() {
        return broker;
    }

    /** The folders the pipeline writes to that failed the last probe, with why (quarantine, done). */
    public Map<String, String> folderProblems() {
        return folderProblems;
    }

    public boolean degraded() {
        return intakeSuspended || loaderSuspended;
    }

    private Status probeDatabase() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(PROBE_TIMEOUT_SECONDS) ? new Status(true, "reachable")
                    : new Status(false, "the connection did not answer within " + PROBE_TIMEOUT_SECONDS + " s");
        } catch (Exception e) {
            return new Status(false, String.valueOf(e.getMessage()));
        }
    }

    private Status probeBroker() {
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions()
                    .timeoutMs((int) TimeUnit.SECONDS.toMillis(PROBE_TIMEOUT_SECONDS)))
                    .nodes().get(PROBE_TIMEOUT_SECONDS + 1L, TimeUnit.SECONDS).size();
            return nodes > 0 ? new Status(true, nodes + " broker(s) reachable") : new Status(false, "no broker");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Status(false, "interrupted");
        } catch (Exception e) {
            return new Status(false, e.getCause() != null ? e.getCause().toString() : e.toString());
        }
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.CLIENT_ID_CONFIG, "sensorpipe-service-watch",
                    // While the broker is away, try to reconnect at most every 5 s (and log as often).
                    AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, PROBE_TIMEOUT_SECONDS * 1000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, PROBE_TIMEOUT_SECONDS * 1000));
        }
        return admin;
    }

    private static void report(String service, Status before, Status now) {
        if (now.isUp() && !before.isUp() && before.up() != null) {
            LOG.infof("%s is reachable again", service);
        } else if (!now.isUp() && (before.isUp() || before.up() == null)) {
            LOG.warnf("%s is unreachable: %s", service, now.detail());
        }
    }

    private boolean suspendWhile(String routeId, boolean suspend, boolean suspended, String effect) {
        if (suspend == suspended) {
            return suspended;
        }
        Route route = camel.getRoute(routeId);
        if (route == null || route.getConsumer() == null) {
            return suspended;
        }
        try {
            if (suspend) {
                ServiceHelper.suspendService(route.getConsumer());
                LOG.warnf("Degraded: %s until the services are back (route %s suspended)", effect, routeId);
            } else {
                ServiceHelper.resumeService(route.getConsumer());
                LOG.infof("Route %s resumed", routeId);
            }
            return suspend;
        } catch (Exception e) {
            LOG.warnf(e, "could not %s route %s", suspend ? "suspend" : "resume", routeId);
            return suspended;
        }
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(1));
        }
    }
}
