package org.fmfstream.jobs;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Imports only downward: every package belongs to one module (model-serving/network, jobs/feeds,
 * ...) and uses only the modules its pom depends on, as the module table of docs/architecture.md
 * draws them; and no two packages import each other, directly or round a loop. Maven already refuses
 * an import of a module that is not a dependency; this test also catches a package that moved into
 * the wrong module. Reads the production classes of every module, as the command line sees them.
 */
class LayeringTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("org.fmfstream");

    @Test
    void modulesImportOnlyTheModulesTheyDependOn() {
        String m = "org.fmfstream.model.";
        String j = "org.fmfstream.jobs.";
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("schemas").definedBy("org.fmfstream.schemas..")
                .layer("model-serving/network").definedBy(m + "tokenize..", m + "fmformer..", m + "serve..", m + "reference..")
                .layer("model-serving/dataset").definedBy(m + "dataset..")
                .layer("model-serving/training").definedBy(m + "data..", m + "eval..", m + "train..")
                .layer("operators").definedBy("org.fmfstream.operators..")
                .layer("jobs/console").definedBy(j + "console..")
                .layer("jobs/kafka").definedBy(j + "kafka..")
                .layer("jobs/feeds").definedBy(j + "feed..", j + "simulator..", j + "ingest..", j + "importer..")
                .layer("jobs/detection").definedBy(j + "job..", j + "alert..", j + "replay..")
                .layer("jobs/cli").definedBy(j + "cli..", j + "model..", j + "bench..", j + "cluster..", j + "demo..", j + "view..")
                .whereLayer("schemas").mayNotAccessAnyLayer()
                .whereLayer("model-serving/network").mayNotAccessAnyLayer()
                .whereLayer("model-serving/dataset").mayOnlyAccessLayers("schemas")
                .whereLayer("model-serving/training").mayOnlyAccessLayers(
                        "schemas", "model-serving/network", "model-serving/dataset")
                .whereLayer("operators").mayOnlyAccessLayers("schemas", "model-serving/network")
                .whereLayer("jobs/console").mayNotAccessAnyLayer()
                .whereLayer("jobs/kafka").mayOnlyAccessLayers("schemas")
                .whereLayer("jobs/feeds").mayOnlyAccessLayers("schemas", "model-serving/network",
                        "model-serving/dataset", "model-serving/training", "jobs/console", "jobs/kafka")
                .whereLayer("jobs/detection").mayOnlyAccessLayers("schemas", "model-serving/network",
                        "model-serving/dataset", "operators", "jobs/console", "jobs/kafka")
                .whereLayer("jobs/cli").mayNotBeAccessedByAnyLayer()
                .check(PRODUCTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"schemas", "model", "operators", "jobs"})
    void packagesHaveNoCycles(String tree) {
        slices().matching("org.fmfstream." + tree + ".(*)..").should().beFreeOfCycles().check(PRODUCTION);
    }
}
