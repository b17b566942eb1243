package io.sensorpipe.metrics;

import java.util.concurrent.ExecutorService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.util.concurrent.SynchronousExecutorService;

/**
 * The metrics aggregator completes a file on the thread that brought its seal, the loader's, not on a
 * thread of its own: the loader commits the seal's offset only after the file is finished, so a crash
 * in between meets the seal again instead of losing the completion.
 */
@ApplicationScoped
public class CompletionThread {

    public static final String NAME = "completeOnTheLoaderThread";

    @Produces
    @Singleton
    @Named(NAME)
    ExecutorService callerRuns() {
        return new SynchronousExecutorService();
    }
}
