package io.sensorpipe.sources;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.sensorpipe.PipelineConfig;

/** Builds the rules and the sources when the application starts, so a bad one stops it there. */
public class SourcesProducer {

    @Produces
    @Singleton
    @Startup
    RuleSet ruleSet(PipelineConfig config) {
        return RuleSet.from(config.rules());
    }

    @Produces
    @Singleton
    @Startup
    SourceCatalog sources(PipelineConfig config, RuleSet rules) {
        return SourceCatalog.load(config.sources().files(), rules);
    }
}
