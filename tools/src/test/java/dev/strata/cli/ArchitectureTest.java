package dev.strata.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/** Keeps the layers of docs/architecture.md one-way. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // Other modules' shared test fixtures arrive as *-tests.jar.
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.strata");
    }

    @Test
    void coreLayers_dependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("id").definedBy("dev.strata.core.id..")
                .layer("error").definedBy("dev.strata.core.error..")
                .layer("backend").definedBy("dev.strata.core.backend..")
                .layer("crypto").definedBy("dev.strata.core.crypto..")
                .layer("chunk").definedBy("dev.strata.core.chunk..")
                .layer("compress").definedBy("dev.strata.core.compress..")
                .layer("pack").definedBy("dev.strata.core.pack..")
                .layer("index").definedBy("dev.strata.core.index..")
                .layer("store").definedBy("dev.strata.core.store..")
                .layer("repo").definedBy("dev.strata.core.repo..")
                .layer("cli").definedBy("dev.strata.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("repo").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("store").mayOnlyBeAccessedByLayers("repo", "cli")
                .whereLayer("index").mayOnlyBeAccessedByLayers("store", "repo", "cli")
                .whereLayer("pack").mayOnlyBeAccessedByLayers("index", "store", "repo", "cli")
                .whereLayer("backend").mayOnlyBeAccessedByLayers("pack", "store", "repo", "cli")
                .whereLayer("crypto").mayOnlyBeAccessedByLayers("pack", "store", "repo", "cli")
                .whereLayer("compress").mayOnlyBeAccessedByLayers("pack", "index", "store", "repo", "cli")
                .whereLayer("chunk").mayOnlyBeAccessedByLayers("store", "repo", "cli")
                .check(classes);
    }

    @Test
    void leaves_importNothingFromStrata() {
        classes().that().resideInAPackage("dev.strata.core.id..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.strata.core.id..")
                .check(classes);
        classes().that().resideInAPackage("dev.strata.core.chunk..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.strata.core.chunk..")
                .check(classes);
    }

    @Test
    void posix_importsOnlyJnrFfiTheJdkAndErrors() {
        classes().that().resideInAPackage("dev.strata.core.posix..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "jnr.ffi..", "dev.strata.core.posix..", "dev.strata.core.error..")
                .check(classes);
    }

    @Test
    void backupFilters_importOnlyTheJdk() {
        classes().that().resideInAPackage("dev.strata.snapshot.backup.filter..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.strata.snapshot.backup.filter..")
                .check(classes);
    }

    @Test
    void jnrFfi_onlyInPosixAndFuseAdapter() {
        noClasses().that().resideOutsideOfPackages("dev.strata.core.posix..", "dev.strata.fuse..")
                .should().dependOnClassesThat().resideInAPackage("jnr.ffi..").check(classes);
    }

    @Test
    void lmdbjava_onlyInIndex() {
        noClasses().that().resideOutsideOfPackage("dev.strata.core.index..")
                .should().dependOnClassesThat().resideInAPackage("org.lmdbjava..").check(classes);
    }

    @Test
    void zstd_onlyInCompress() {
        noClasses().that().resideOutsideOfPackage("dev.strata.core.compress..")
                .should().dependOnClassesThat().resideInAPackage("com.github.luben..").check(classes);
    }

    @Test
    void bouncyCastle_onlyInCrypto() {
        noClasses().that().resideOutsideOfPackage("dev.strata.core.crypto..")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..").check(classes);
    }

    @Test
    void jnrFuse_onlyInFuseAdapter() {
        noClasses().that().resideOutsideOfPackage("dev.strata.fuse..")
                .should().dependOnClassesThat().resideInAPackage("ru.serce.jnrfuse..").check(classes);
    }

    @Test
    void picocli_onlyInCli() {
        noClasses().that().resideOutsideOfPackage("dev.strata.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..").check(classes);
    }

    @Test
    void imageLayer_knowsNeitherCliNorFuse_andFuseKnowsNoImages() {
        noClasses().that().resideInAPackage("dev.strata.image..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.strata.cli..", "dev.strata.fuse..", "picocli..",
                        "ru.serce.jnrfuse..").check(classes);
        noClasses().that().resideInAPackage("dev.strata.fuse..")
                .should().dependOnClassesThat().resideInAPackage("dev.strata.image..").check(classes);
    }
}
