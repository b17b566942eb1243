package io.sensorpipe.ops;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.intake.InputFiles;
import io.sensorpipe.intake.ReadsInProgress;
import io.sensorpipe.load.OffsetCommitter;
import io.sensorpipe.support.PipelineMetrics;
import io.sensorpipe.support.Retries;

/**
 * {@code /q/health/ready}: the pipeline can land files, i.e. PostgreSQL and the Kafka broker answered
 * the last {@link ServiceWatch} check, the folders it writes to can be written, every route is started
 * and the loader is not stuck. DOWN while a service is away or a folder unwritable (the pipeline then
 * waits, degraded), while a route is stopped or suspended (by an operator, say from the JMX console),
 * or while records wait on the readings topic and the loader has committed nothing for
 * {@code pipeline.failures.stuck-after}. Its data also lists the exchanges being retried right now.
 */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements HealthCheck {

    private final ServiceWatch watch;
    private final InputFiles inputFiles;
    private final CamelContext camel;
    private final Retries retries;
    private final OffsetCommitter loader;
    private final PipelineMetrics metrics;
    private final Duration stuckAfter;
    private final ReadsInProgress reads;

    public PipelineReadiness(ServiceWatch watch, InputFiles inputFiles, CamelContext camel, Retries retries,
            OffsetCommitter loader, PipelineMetrics metrics, PipelineConfig config, ReadsInProgress reads) {
        this.reads = reads;
        this.watch = watch;
        this.inputFiles = inputFiles;
        this.camel = camel;
        this.retries = retries;
        this.loader = loader;
        this.metrics = metrics;
        this.stuckAfter = config.failures().stuckAfter();
    }

    @Override
    public HealthCheckResponse call() {
        ServiceWatch.Status database = watch.database();
        ServiceWatch.Status broker = watch.broker();
        Map<String, ServiceStatus> notStarted = routesNotStarted();
        Map<String, String> folders = watch.folderProblems();
        long waiting = metrics.lag();
        Duration idle = loader.sinceLastCommit();
        boolean stuck = waiting > 0 && idle.compareTo(stuckAfter) > 0;
        HealthCheckResponseBuilder response = HealthCheckResponse.named("sensorpipe")
                .status(database.isUp() && broker.isUp() && notStarted.isEmpty() && folders.isEmpty() && !stuck)
                .withData("database", database.detail())
                .withData("broker", broker.detail())
                .withData("folders", folders.isEmpty() ? "writable" : "cannot write: " + folders)
                .withData("routes", notStarted.isEmpty()
                        ? camel.getRoutes().size() + " started"
                        : "not started: " + notStarted)
                .withData("degraded", watch.degraded())
                .withData("files_in_flight", inputFiles.inFlight())
                .withData("loader", stuck
                        ? "stuck: " + waiting + " records waiting, nothing committed for " + idle.toSeconds() + " s"
                        : waiting + " records waiting, last commit " + idle.toSeconds() + " s ago");
        Map<String, String> retrying = retries.now();
        response.withData("retrying", retrying.isEmpty() ? "none" : retrying.toString());
        Map<String, Long> quiet = reads.quiet();
        response.withData("reads_without_progress", quiet.isEmpty() ? "none" : quiet + " s");
        return response.build();
    }

    private Map<String, ServiceStatus> routesNotStarted() {
        Map<String, ServiceStatus> notStarted = new TreeMap<>();
        if (!camel.isStarted()) {
            notStarted.put(camel.getName(), camel.getStatus());
        }
        for (Route route : camel.getRoutes()) {
            ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
            if (status != ServiceStatus.Started) {
                notStarted.put(route.getRouteId(), status);
            }
        }
        return notStarted;
    }
}
