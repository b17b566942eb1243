package io.sensorpipe.testdata;

import java.util.Map;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.PipelineSettings;
import io.sensorpipe.sources.RuleSet;
import io.sensorpipe.sources.SourceCatalog;

/** The application's own settings (src/main/resources/application.properties) for tests without Quarkus. */
public final class TestConfig {

    private TestConfig() {
    }

    /** The settings, with {@code overrides} taking precedence. */
    public static PipelineConfig pipeline(Map<String, String> overrides) {
        return PipelineSettings.read(overrides);
    }

    public static RuleSet rules() {
        return RuleSet.from(pipeline(Map.of()).rules());
    }

    public static RuleSet rules(Map<String, String> overrides) {
        return RuleSet.from(pipeline(overrides).rules());
    }

    /** The sources of the shipped configuration, or of the files {@code pipeline.sources.files} names in the overrides. */
    public static SourceCatalog sources(Map<String, String> overrides) {
        PipelineConfig config = pipeline(overrides);
        return SourceCatalog.load(config.sources().files(), RuleSet.from(config.rules()));
    }

    public static SourceCatalog sources() {
        return sources(Map.of());
    }

    /** The shipped source of this name. */
    public static io.sensorpipe.sources.Source source(String name) {
        return sources().source(name);
    }

    /** The layout the shipped sources give a file of this name with this header line. */
    public static io.sensorpipe.sources.CsvLayout layout(String fileName, String headerLine) {
        try {
            return new io.sensorpipe.intake.HeaderInspector(sources(), 1000).layoutOf(fileName,
                    (headerLine + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (io.sensorpipe.intake.UnreadableFileException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
