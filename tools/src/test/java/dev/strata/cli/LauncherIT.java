package dev.strata.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tools/launcher's class-data-sharing archive, with a copy of the jar this build packaged in a folder
 * of the test's: made once from the training run and then used, by S3 commands too; a truncated archive (which crashes
 * Java 17's JVM with SIGBUS) is made again instead of being used; an archive the JVM refuses turns
 * sharing off without a word on standard output.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LauncherIT {
    private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path tmp;
    private Path jar;
    private Path archive;

    @BeforeEach
    void copyJar() throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        jar = Files.copy(CHECKOUT.resolve("tools/target/strata.jar"), lib.resolve("strata.jar"));
        archive = lib.resolve("strata-jdk" + Runtime.version().feature() + ".jsa");
    }

    @Test
    void theArchive_isMadeOnce_thenClassesComeFromIt() throws Exception {
        assertThat(launch("--version").out).contains("Java " + Runtime.version().feature());
        assertThat(archive).isNotEmptyFile();
        assertThat(Files.readString(archive.resolveSibling(archive.getFileName() + ".size")).trim())
                .isEqualTo(Long.toString(Files.size(archive)));
        FileTime made = Files.getLastModifiedTime(archive);

        Result listing = launch(Map.of("STRATA_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertThat(listing.out).contains("source: shared objects file (top)");
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
        assertThat(s3Archive()).as("the S3 commands' archive, made only when one is run").doesNotExist();
    }

    @Test
    void anS3Command_findsTheSdkAndItsHttpClientInTheArchive() throws Exception {
        launch("--version"); // the local commands' archive, to compare
        try (TrainingS3Responder s3 = TrainingS3Responder.start("launcher")) {
            Map<String, String> env = new HashMap<>(Map.of("STRATA_REPO", "s3:" + s3.repositoryUrl(), "STRATA_PASSWORD", "pw",
                    "AWS_ACCESS_KEY_ID", "key", "AWS_SECRET_ACCESS_KEY", "secret"));
            launch(env, "init");
            env.put("STRATA_JAVA_OPTS", "-Xlog:class+load=info");
            Result listing = launch(env, "snapshots");
            assertThat(listing.out)
                    .contains("software.amazon.awssdk.services.s3.DefaultS3Client source: shared objects file")
                    .contains("org.apache.hc.client5.http.impl.classic.InternalHttpClient source: shared objects file");
            assertThat(s3Archive()).isNotEmptyFile();
            assertThat(Files.size(s3Archive())).isGreaterThan(Files.size(archive));
        }
    }

    @Test
    void aLocalCommand_mapsTheArchiveWithoutTheS3Client() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("STRATA_REPO", tmp.resolve("repo").toString(), "STRATA_PASSWORD", "pw"));
        launch(env, "init");
        env.put("STRATA_JAVA_OPTS", "-Xlog:class+load=info");
        Result listing = launch(env, "snapshots");
        assertThat(listing.out).contains("source: shared objects file (top)")
                .doesNotContain("software.amazon.awssdk");
        assertThat(s3Archive()).doesNotExist();
    }

    private Path s3Archive() {
        return archive.resolveSibling("strata-jdk" + Runtime.version().feature() + "-s3.jsa");
    }

    @Test
    void aTruncatedArchive_isMadeAgain_andTheCommandRuns() throws Exception {
        launch("--version");
        long whole = Files.size(archive);
        byte[] head = new byte[(int) (whole / 3)];
        try (var in = Files.newInputStream(archive)) {
            assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
        }
        Files.write(archive, head);

        Result r = launch("--version");
        assertThat(r.out).contains("Java ").doesNotContain("SIGBUS");
        assertThat(Files.size(archive)).isGreaterThan(head.length);
        assertThat(Files.readString(archive.resolveSibling(archive.getFileName() + ".size")).trim())
                .isEqualTo(Long.toString(Files.size(archive)));
    }

    @Test
    void anArchiveTheJvmRefuses_turnsSharingOff_withoutAWordOnStandardOutput() throws Exception {
        Path repo = tmp.resolve("repo");
        Map<String, String> env = Map.of("STRATA_REPO", repo.toString(), "STRATA_PASSWORD", "pw");
        launch(env, "init");
        // The archive records the jar's time: a jar with another time is another jar to the JVM,
        // while the launcher still takes the archive for current (the jar is not newer).
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        Result r = launch(env, "--json", "snapshots");
        assertThat(r.out.strip()).isEqualTo("[]");
        Result version = launch("--version");
        assertThat(version.out).doesNotContain("[warning]").doesNotContain("shared archive");
    }

    private record Result(String out, String err) {
    }

    private Result launch(String... args) throws IOException, InterruptedException {
        return launch(Map.of(), args);
    }

    private Result launch(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHECKOUT.resolve("tools/launcher").toString()));
        command.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = new HashMap<>(Map.of(
                "STRATA_LAUNCH_JAR", jar.toString(),
                "HOME", tmp.toString(),
                "STRATA_CACHE_DIR", tmp.resolve("cache").toString()));
        env.putAll(extraEnv);
        pb.environment().putAll(env);
        pb.environment().remove("STRATA_JAVA_OPTS");
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        Result r = new Result(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        assertThat(p.exitValue()).as(String.join(" ", args) + ":\n" + r.out + r.err).isZero();
        return r;
    }
}
