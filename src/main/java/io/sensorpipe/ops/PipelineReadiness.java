package io.sensorpipe.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.sensorpipe.intake.InputFiles;

/**
 * {@code /q/health/ready}: the pipeline can land files, i.e. PostgreSQL and the Kafka broker answered
 * the last {@link ServiceWatch} check. DOWN while either is away (the pipeline then waits, degraded).
 */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements HealthCheck {

    private final ServiceWatch watch;
    private final InputFiles inputFiles;

    public PipelineReadiness(ServiceWatch watch, InputFiles inputFiles) {
        this.watch = watch;
        this.inputFiles = inputFiles;
    }

    @Override
    public HealthCheckResponse call() {
        ServiceWatch.Status database = watch.database();
        ServiceWatch.Status broker = watch.broker();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("sensorpipe")
                .status(database.isUp() && broker.isUp())
                .withData("database", database.detail())
                .withData("broker", broker.detail())
                .withData("degraded", watch.degraded())
                .withData("files_in_flight", inputFiles.inFlight());
        return response.build();
    }
}
