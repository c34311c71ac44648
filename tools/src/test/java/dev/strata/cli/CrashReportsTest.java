package dev.strata.cli;

import dev.strata.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CrashReportsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aCrashedJvm_reportsIntoTheCacheFolder_andTheNextCommandSaysSoOnce() throws Exception {
        Path cache = dir.resolve("cache");
        Path work = dir.resolve("work");
        Path currentFolder = Path.of("").toAbsolutePath();
        List<Path> reportsHereBefore = crashReportsIn(currentFolder);
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx64m", CrashReports.errorFileOption(cache)),
                CrashingMain.class, work)) {
            assertThat(child.waitFor(Duration.ofSeconds(60))).isEqualTo(134);
        }
        List<Path> reports = list(cache.resolve(CrashReports.FOLDER));
        assertThat(reports).singleElement().satisfies(p -> assertThat(p.getFileName().toString()).startsWith("hs_err_pid"));
        assertThat(crashReportsIn(currentFolder)).isEqualTo(reportsHereBefore);
        assertThat(crashReportsIn(work)).isEmpty();

        CliRunner cli = new CliRunner(dir.resolve("repo"), cache);
        CliRunner.Result first = cli.run("--version");
        assertThat(first.err()).contains("an earlier strata command crashed").contains(reports.get(0).toString());
        CliRunner.Result second = cli.run("--version");
        assertThat(second.err()).doesNotContain("crashed");
    }

    @Test
    void noCrashFolder_saysNothing() {
        CliRunner.Result r = new CliRunner(dir.resolve("repo"), dir.resolve("cache")).run("--version");
        assertThat(r.err()).isEmpty();
    }

    private static List<Path> crashReportsIn(Path folder) throws Exception {
        return list(folder).stream().filter(p -> p.getFileName().toString().startsWith("hs_err")).toList();
    }

    private static List<Path> list(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }
}
