package io.sensorpipe;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Every dependency of the application's code points down, and no two packages depend on each other
 * (the layers as the README draws them, bottom first):
 *
 * <pre>
 * base        io.sensorpipe: settings, JSON, the file statuses
 * records     what travels between stages: the records of the topic, of a file and of a row, the
 *             exchange properties' names
 * sources     the configured sources: columns, rules, units, time stamps
 * support     what every stage uses: folders and safe file access, failures and retries, counters
 * intake      reading a file: arrival, identity, claims, the ledger of files, parsing, publishing
 * validation  checking and standardising rows
 * quarantine  the reports of rejected rows and files set aside
 * load        the loader: COPY, dead letters, offsets
 * metrics     a file's completion: its metrics, its end
 * ops         what watches everyone: services, readiness, status, file events, embedded services
 * doors       the ways in beside the folder: HTTP uploads, check-file, the load generator
 * </pre>
 *
 * A layer may use any layer below it, never one above.
 */
class LayersTest {

    private static final JavaClasses APPLICATION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sensorpipe");

    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("base").definedBy("io.sensorpipe")
            .layer("records").definedBy("io.sensorpipe.records..")
            .layer("sources").definedBy("io.sensorpipe.sources..")
            .layer("support").definedBy("io.sensorpipe.support..")
            .layer("intake").definedBy("io.sensorpipe.intake..")
            .layer("validation").definedBy("io.sensorpipe.validation..")
            .layer("quarantine").definedBy("io.sensorpipe.quarantine..")
            .layer("load").definedBy("io.sensorpipe.load..")
            .layer("metrics").definedBy("io.sensorpipe.metrics..")
            .layer("ops").definedBy("io.sensorpipe.ops..")
            .layer("doors").definedBy("io.sensorpipe.ingest..", "io.sensorpipe.check..", "io.sensorpipe.loadgen..")
            .whereLayer("doors").mayNotBeAccessedByAnyLayer()
            .whereLayer("ops").mayOnlyBeAccessedByLayers("doors")
            .whereLayer("metrics").mayOnlyBeAccessedByLayers("ops", "doors")
            .whereLayer("load").mayOnlyBeAccessedByLayers("metrics", "ops", "doors")
            .whereLayer("quarantine").mayOnlyBeAccessedByLayers("load", "metrics", "ops", "doors")
            .whereLayer("validation").mayOnlyBeAccessedByLayers("quarantine", "load", "metrics", "ops", "doors")
            .whereLayer("intake").mayOnlyBeAccessedByLayers("validation", "quarantine", "load", "metrics", "ops",
                    "doors")
            .whereLayer("support").mayOnlyBeAccessedByLayers("intake", "validation", "quarantine", "load",
                    "metrics", "ops", "doors")
            .whereLayer("sources").mayOnlyBeAccessedByLayers("support", "intake", "validation", "quarantine",
                    "load", "metrics", "ops", "doors")
            .whereLayer("records").mayOnlyBeAccessedByLayers("sources", "support", "intake", "validation",
                    "quarantine", "load", "metrics", "ops", "doors");

    static final ArchRule NO_CYCLES = slices().matching("io.sensorpipe.(**)").should().beFreeOfCycles();

    @Test
    void everyDependencyPointsDown() {
        LAYERS.check(APPLICATION);
    }

    @Test
    void noPackagesDependOnEachOther() {
        NO_CYCLES.check(APPLICATION);
    }
}
