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
 * Imports only downward: schemas <- model-serving <- operators <- jobs, and inside each module no
 * two packages import each other, directly or round a loop (docs/architecture.md, "Where the code
 * lives"). Reads the production classes of all four modules, as the jobs module sees them.
 */
class LayeringTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("org.fmfstream");

    @Test
    void modulesImportOnlyTheModulesBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("schemas").definedBy("org.fmfstream.schemas..")
                .layer("model-serving").definedBy("org.fmfstream.model..")
                .layer("operators").definedBy("org.fmfstream.operators..")
                .layer("jobs").definedBy("org.fmfstream.jobs..")
                .whereLayer("jobs").mayNotBeAccessedByAnyLayer()
                .whereLayer("operators").mayOnlyBeAccessedByLayers("jobs")
                .whereLayer("model-serving").mayOnlyBeAccessedByLayers("operators", "jobs")
                .check(PRODUCTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"schemas", "model", "operators", "jobs"})
    void packagesOfAModuleHaveNoCycles(String module) {
        slices().matching("org.fmfstream." + module + ".(*)..").should().beFreeOfCycles().check(PRODUCTION);
    }
}
