package dev.strata.cli;

import dev.strata.core.error.ExitCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The repository and output options work before the command name as after it; after it, they win. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GlobalOptionsTest {
    @TempDir
    Path tmp;
    CliRunner cli;
    Path repo;

    @BeforeEach
    void setUp() {
        repo = tmp.resolve("repo");
        // No STRATA_REPO: the repository is only what the command line says.
        cli = new CliRunner(tmp.resolve("elsewhere"), tmp.resolve("cache")).env("STRATA_REPO", null).password("pw");
    }

    @Test
    void repoBeforeTheCommand_isTheRepository() throws Exception {
        assertThat(cli.run("--repo", repo.toString(), "init").code()).isZero();
        Path src = Files.writeString(tmp.resolve("a.txt"), "a");
        assertThat(cli.run("-r", repo.toString(), "backup", src.toString()).code()).isZero();

        CliRunner.Result r = cli.run("--repo", repo.toString(), "snapshots");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("1 snapshot");
    }

    @Test
    void outputOptionsBeforeTheCommand_apply() throws Exception {
        assertThat(cli.run("init", "--repo", repo.toString()).code()).isZero();

        CliRunner.Result json = cli.run("--json", "--repo", repo.toString(), "snapshots");
        Path src = Files.writeString(tmp.resolve("a.txt"), "a");
        CliRunner.Result quiet = cli.run("-q", "--repo=" + repo, "backup", src.toString());

        assertThat(json.code()).as(json.toString()).isZero();
        assertThat(json.out().strip()).isEqualTo("[]");
        assertThat(quiet.code()).as(quiet.toString()).isZero();
        assertThat(quiet.out()).isEmpty();
    }

    @Test
    void optionAfterTheCommand_winsOverTheOneBefore() {
        assertThat(cli.run("init", "--repo", repo.toString()).code()).isZero();

        CliRunner.Result r = cli.run("--repo", tmp.resolve("nothing-here").toString(), "snapshots", "--repo", repo.toString());

        assertThat(r.code()).as(r.toString()).isZero();
    }

    @Test
    void nestedCommand_takesTheRootsOptions() {
        assertThat(cli.run("init", "--repo", repo.toString()).code()).isZero();

        CliRunner.Result r = cli.run("--repo", repo.toString(), "key", "list");

        assertThat(r.code()).as(r.toString()).isZero();
    }

    @Test
    void optionTheCommandDoesNotTake_isAUsageError() {
        CliRunner.Result r = cli.run("--repo", repo.toString(), "umount", tmp.toString());

        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("option '--repo' does not apply to 'strata umount'")
                .contains("Try 'strata umount --help' for usage.");
    }

    @Test
    void withoutTheOption_theRepositoryIsStillMissing() {
        CliRunner.Result r = cli.run("snapshots");

        assertThat(r.code()).isEqualTo(ExitCode.NOT_A_REPOSITORY.code());
    }
}
