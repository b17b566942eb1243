package io.sensorpipe.metrics;

import java.util.concurrent.ExecutorService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.CamelContext;
import org.apache.camel.util.concurrent.SynchronousExecutorService;

import io.sensorpipe.PipelineConfig;

/**
 * The metrics aggregator completes a file on the thread that brought its seal, not on a thread of its
 * own: the loader commits the seal's offset only after the file is finished, so a crash in between meets
 * the seal again instead of losing the completion. The loader hands the seals of one batch to
 * {@value #POOL}'s threads, so that files complete side by side, and waits for them all.
 */
@ApplicationScoped
public class CompletionThread {

    public static final String NAME = "completeOnTheLoaderThread";

    public static final String POOL = "fileCompletions";

    @Produces
    @Singleton
    @Named(NAME)
    ExecutorService callerRuns() {
        return new SynchronousExecutorService();
    }

    @Produces
    @Singleton
    @Named(POOL)
    ExecutorService fileCompletions(CamelContext camelContext, PipelineConfig config) {
        return camelContext.getExecutorServiceManager().newFixedThreadPool(this, POOL,
                config.loader().completionThreads());
    }
}
