package io.sensorpipe.ops;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.sensorpipe.intake.InputFiles;

/**
 * {@code /q/health/ready}: the pipeline can land files, i.e. PostgreSQL and the Kafka broker answered
 * the last {@link ServiceWatch} check and every route is started. DOWN while either service is away
 * (the pipeline then waits, degraded) or while a route is stopped or suspended (by an operator, say
 * from the JMX console): a file could wait for it indefinitely.
 */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements HealthCheck {

    private final ServiceWatch watch;
    private final InputFiles inputFiles;
    private final CamelContext camel;

    public PipelineReadiness(ServiceWatch watch, InputFiles inputFiles, CamelContext camel) {
        this.watch = watch;
        this.inputFiles = inputFiles;
        this.camel = camel;
    }

    @Override
    public HealthCheckResponse call() {
        ServiceWatch.Status database = watch.database();
        ServiceWatch.Status broker = watch.broker();
        Map<String, ServiceStatus> notStarted = routesNotStarted();
        return HealthCheckResponse.named("sensorpipe")
                .status(database.isUp() && broker.isUp() && notStarted.isEmpty())
                .withData("database", database.detail())
                .withData("broker", broker.detail())
                .withData("routes", notStarted.isEmpty()
                        ? camel.getRoutes().size() + " started"
                        : "not started: " + notStarted)
                .withData("degraded", watch.degraded())
                .withData("files_in_flight", inputFiles.inFlight())
                .build();
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
