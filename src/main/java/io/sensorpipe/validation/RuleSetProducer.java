package io.sensorpipe.validation;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.sensorpipe.PipelineConfig;

/** Builds the rule set when the application starts, so a bad rule stops it there. */
public class RuleSetProducer {

    @Produces
    @Singleton
    @Startup
    RuleSet ruleSet(PipelineConfig config) {
        return RuleSet.from(config.rules());
    }
}
