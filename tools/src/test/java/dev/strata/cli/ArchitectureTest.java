package dev.strata.cli;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the layers of docs/architecture.md one-way. Imports the production classes of every module
 * on this module's test classpath (fs-core, snapshot, fuse-mount, tools; image-layer once tools
 * depends on it), never test code. Rules about modules not yet on the classpath pass while there is
 * nothing to check ({@code allowEmptyShould}).
 */
class ArchitectureTest {
    private static final String CORE = "dev.strata.core..";
    private static final String SNAPSHOT = "dev.strata.snapshot..";
    private static final String FUSE = "dev.strata.fuse..";
    private static final String IMAGE = "dev.strata.image..";
    private static final String CLI = "dev.strata.cli..";
    private static final String VOLUME = "dev.strata.volume..";
    private static final String SYNC = "dev.strata.sync..";

    /**
     * Other modules' shared test fixtures arrive as {@code *-tests.jar} once packaged (before that as
     * test-classes folders, which DO_NOT_INCLUDE_TESTS leaves out). They must stay out: fixtures such
     * as the backend contract use libraries the rules confine to one layer.
     */
    private static final ImportOption NO_TEST_JARS = location -> !location.contains("-tests.jar");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(NO_TEST_JARS)
                .importPackages("dev.strata");
    }

    // --- the import itself: every rule below would pass vacuously on a missing module -------------

    @Test
    void import_holdsEveryModule_andNoTestCode() {
        for (String present : List.of("dev.strata.core.repo.Repository", "dev.strata.core.view.ViewNode",
                "dev.strata.core.backend.s3.S3Backend",
                "dev.strata.snapshot.view.MountRoot", "dev.strata.fuse.FuseAdapter", "dev.strata.cli.Cli",
                "dev.strata.volume.view.LiveVolume", "dev.strata.sync.identity.DeviceIdentity")) {
            assertThat(classes.contain(present)).as(present + " imported").isTrue();
        }
        for (JavaClass c : classes) {
            String where = c.getSource().map(s -> s.getUri().toString()).orElse("");
            assertThat(where).as(c.getName()).doesNotContain("-tests.jar").doesNotContain("/test-classes/");
        }
    }

    // --- modules: fs-core ← snapshot ← image-layer; fs-core ← fuse-mount; tools wires them all ------

    @Test
    void core_knowsNoModuleAboveIt() {
        noClasses().that().resideInAPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(SNAPSHOT, FUSE, IMAGE, CLI, VOLUME, SYNC)
                .check(classes);
    }

    @Test
    void snapshot_knowsNeitherFuseNorImagesNorVolumesNorSyncNorCli() {
        noClasses().that().resideInAPackage(SNAPSHOT)
                .should().dependOnClassesThat().resideInAnyPackage(FUSE, IMAGE, CLI, VOLUME, SYNC)
                .check(classes);
    }

    /** volume sits on fs-core and snapshot beside image-layer; it knows neither FUSE, images nor the CLI. */
    @Test
    void volume_knowsCoreAndSnapshotsOnly_andNothingBelowKnowsIt() {
        noClasses().that().resideInAPackage(VOLUME)
                .should().dependOnClassesThat().resideInAnyPackage(FUSE, IMAGE, CLI, "ru.serce.jnrfuse..", "picocli..",
                        "org.lmdbjava..")
                .check(classes);
        noClasses().that().resideInAnyPackage(IMAGE, FUSE)
                .should().dependOnClassesThat().resideInAPackage(VOLUME)
                .check(classes);
    }

    /** sync-peer sits on volume (and so on snapshot and fs-core); only tools knows it. */
    @Test
    void sync_knowsNeitherFuseNorImagesNorCli_andOnlyToolsKnowsIt() {
        noClasses().that().resideInAPackage(SYNC)
                .should().dependOnClassesThat().resideInAnyPackage(FUSE, IMAGE, CLI, "ru.serce.jnrfuse..", "picocli..",
                        "org.lmdbjava..", "jnr.ffi..")
                .check(classes);
        noClasses().that().resideInAnyPackage(CORE, SNAPSHOT, VOLUME, IMAGE, FUSE)
                .should().dependOnClassesThat().resideInAPackage(SYNC)
                .check(classes);
    }

    @Test
    void syncLayers_dependOnlyDownwards() {
        // config ← identity ← peer ← trust ← wire ← net ← chunks ← volumes ← view ← (the node that wires them).
        String[] order = {"config", "identity", "peer", "trust", "wire", "net", "chunks", "volumes", "view"};
        for (int i = 0; i < order.length; i++) {
            java.util.List<String> higher = new java.util.ArrayList<>();
            for (int j = i + 1; j < order.length; j++) {
                higher.add("dev.strata.sync." + order[j] + "..");
            }
            higher.add("dev.strata.sync");
            noClasses().that().resideInAPackage("dev.strata.sync." + order[i] + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(higher.toArray(String[]::new))
                    .allowEmptyShould(true)
                    .check(classes);
        }
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("dev.strata.sync.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void volumeLayers_dependOnlyDownwards() {
        // (burst) ← state ← data ← view ← (catalog, checkpoints, history); nothing lower knows a higher one.
        noClasses().that().resideInAPackage("dev.strata.volume.state..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.strata.volume.data..", "dev.strata.volume.view..",
                        "dev.strata.volume.history..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.strata.volume.data..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.strata.volume.view..", "dev.strata.volume.history..")
                .check(classes);
        // The burst watch hears from data and view and knows none of the volume's packages.
        noClasses().that().resideInAPackage("dev.strata.volume.burst..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.strata.volume.state..", "dev.strata.volume.data..",
                        "dev.strata.volume.view..", "dev.strata.volume.history..", "dev.strata.volume")
                .check(classes);
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("dev.strata.volume.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void fuse_knowsOnlyViews() {
        noClasses().that().resideInAPackage(FUSE)
                .should().dependOnClassesThat().resideInAnyPackage(SNAPSHOT, IMAGE, CLI)
                .check(classes);
        // Of fs-core, only the neutral view interface and the types it speaks (tree values, errors).
        classes().that().resideInAPackage(FUSE)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "jnr.ffi..", "ru.serce.jnrfuse..",
                        FUSE, "dev.strata.core.view..", "dev.strata.core.tree..", "dev.strata.core.error..",
                        "dev.strata.core.id..", "dev.strata.core.name..")
                .check(classes);
    }

    @Test
    void image_knowsNeitherFuseNorCli() {
        // image-layer may still be absent from this classpath: nothing to check is then no failure.
        noClasses().that().resideInAPackage(IMAGE)
                .should().dependOnClassesThat().resideInAnyPackage(FUSE, CLI, "ru.serce.jnrfuse..", "picocli..")
                .allowEmptyShould(true)
                .check(classes);
    }

    // --- inside fs-core ------------------------------------------------------------------------

    @Test
    void coreLayers_dependOnlyDownwards() {
        // Accesses from outside fs-core (snapshot, fuse, image, cli) are the module rules' business.
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
                .layer("tree").definedBy("dev.strata.core.tree..")
                .layer("view").definedBy("dev.strata.core.view..")
                .layer("posix").definedBy("dev.strata.core.posix..")
                .whereLayer("view").mayNotBeAccessedByAnyLayer()
                .whereLayer("tree").mayOnlyBeAccessedByLayers("view")
                .whereLayer("repo").mayNotBeAccessedByAnyLayer()
                .whereLayer("store").mayOnlyBeAccessedByLayers("repo", "tree")
                .whereLayer("index").mayOnlyBeAccessedByLayers("store", "repo")
                .whereLayer("pack").mayOnlyBeAccessedByLayers("index", "store", "repo", "tree")
                .whereLayer("backend").mayOnlyBeAccessedByLayers("pack", "store", "repo")
                .whereLayer("crypto").mayOnlyBeAccessedByLayers("pack", "store", "repo")
                .whereLayer("compress").mayOnlyBeAccessedByLayers("pack", "index", "store", "repo")
                .whereLayer("chunk").mayOnlyBeAccessedByLayers("store", "repo")
                .whereLayer("posix").mayNotBeAccessedByAnyLayer()
                .check(classes);
    }

    @Test
    void bottom_idAndErrorImportNothing_backendOnlyThem() {
        classes().that().resideInAPackage("dev.strata.core.id..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.strata.core.id..")
                .check(classes);
        classes().that().resideInAPackage("dev.strata.core.error..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.strata.core.error..")
                .check(classes);
        classes().that().resideInAPackage("dev.strata.core.backend..")
                .and().resideOutsideOfPackage("dev.strata.core.backend.s3..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.strata.core.backend..",
                        "dev.strata.core.id..", "dev.strata.core.error..")
                .check(classes);
        // The S3 backend (its own module) adds the AWS SDK and the HTTP client under it, nothing of Strata.
        classes().that().resideInAPackage("dev.strata.core.backend.s3..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.net.ssl..",
                        "dev.strata.core.backend..", "dev.strata.core.error..", "software.amazon.awssdk..",
                        "org.apache.hc.client5.http.ssl..", "org.apache.hc.core5.http.protocol..")
                .check(classes);
    }

    @Test
    void awsSdk_onlyInTheS3Backend() {
        noClasses().that().resideOutsideOfPackage("dev.strata.core.backend.s3..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..").check(classes);
        // The CLI chooses the backend from the location; nothing else knows there is an S3 backend.
        noClasses().that().resideOutsideOfPackages("dev.strata.core.backend.s3..", CLI)
                .should().dependOnClassesThat().resideInAPackage("dev.strata.core.backend.s3..").check(classes);
    }

    @Test
    void chunker_importsNothingFromStrata() {
        classes().that().resideInAPackage("dev.strata.core.chunk..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.strata.core.chunk..")
                .check(classes);
    }

    @Test
    void view_isNeutral_knowsNoStorage() {
        // The interface every view implements and FUSE consumes: tree value types, ids, errors only;
        // never store, repo, index, pack (nor anything else that stores or mounts).
        classes().that().resideInAPackage("dev.strata.core.view..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.strata.core.view..",
                        "dev.strata.core.tree..", "dev.strata.core.id..", "dev.strata.core.error..",
                        "dev.strata.core.name..")
                .check(classes);
    }

    @Test
    void posix_importsOnlyJnrFfiTheJdkErrorsAndNames() {
        // Beside the storage stack: independent of store, repo and everything else in fs-core.
        classes().that().resideInAPackage("dev.strata.core.posix..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "jnr.ffi..", "dev.strata.core.posix..", "dev.strata.core.error..",
                        "dev.strata.core.name..")
                .check(classes);
    }

    @Test
    void names_importOnlyTheJdk() {
        // The byte-exact name mapping is a leaf every layer may use (posix, tree, view, FUSE, CLI).
        classes().that().resideInAPackage("dev.strata.core.name..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.strata.core.name..")
                .check(classes);
    }

    // --- inside snapshot -----------------------------------------------------------------------

    @Test
    void backupFilters_importOnlyTheJdk() {
        classes().that().resideInAPackage("dev.strata.snapshot.backup.filter..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.strata.snapshot.backup.filter..")
                .check(classes);
    }

    // --- third-party libraries stay in their layer ----------------------------------------------

    @Test
    void jnrFfi_onlyInPosixFuseAdapterAndNativeArgon2() {
        noClasses().that().resideOutsideOfPackages("dev.strata.core.posix..", FUSE)
                .and().doNotHaveFullyQualifiedName("dev.strata.core.crypto.NativeArgon2")
                .and().doNotHaveFullyQualifiedName("dev.strata.core.crypto.NativeArgon2$LibArgon2")
                .should().dependOnClassesThat().resideInAPackage("jnr.ffi..").check(classes);
    }

    @Test
    void lmdbjava_onlyInIndex() {
        noClasses().that().resideOutsideOfPackage("dev.strata.core.index..")
                .should().dependOnClassesThat().resideInAPackage("org.lmdbjava..").check(classes);
    }

    @Test
    void commonsCompress_onlyInArchive() {
        noClasses().that().resideOutsideOfPackage("dev.strata.snapshot.archive..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.commons.compress..").check(classes);
    }

    @Test
    void zstd_onlyInCompress() {
        noClasses().that().resideOutsideOfPackage("dev.strata.core.compress..")
                .should().dependOnClassesThat().resideInAPackage("com.github.luben..").check(classes);
    }

    @Test
    void bouncyCastle_onlyInCryptoAndDeviceIdentity_andItsPkixOnlyInDeviceIdentity() {
        noClasses().that().resideOutsideOfPackages("dev.strata.core.crypto..", "dev.strata.sync.identity..")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..").check(classes);
        noClasses().that().resideOutsideOfPackage("dev.strata.sync.identity..")
                .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle.cert..", "org.bouncycastle.operator..",
                        "org.bouncycastle.pkix..")
                .check(classes);
    }

    @Test
    void jnrFuse_onlyInFuseAdapter() {
        noClasses().that().resideOutsideOfPackage(FUSE)
                .should().dependOnClassesThat().resideInAPackage("ru.serce.jnrfuse..").check(classes);
    }

    @Test
    void picocli_onlyInCli() {
        noClasses().that().resideOutsideOfPackage(CLI)
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

    @Test
    void jobs_runRepositoryWorkOnlyThroughCommands() {
        // Jobs reach a repository through Strata's own commands (CommandRunner), so they know no
        // storage, snapshot or mount code and no picocli, and the commands know them, not the reverse.
        noClasses().that().resideInAPackage("dev.strata.cli.jobs..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.strata.cli.command..", "picocli..",
                        "dev.strata.core.repo..", "dev.strata.core.store..", "dev.strata.core.backend..", "dev.strata.snapshot..",
                        "dev.strata.fuse..", "dev.strata.image..", "dev.strata.sync..")
                .check(classes);
    }
}
