package dev.strata.cli;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.error.ExitCode;
import dev.strata.core.repo.HostIdentity;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.OpenOptions;
import dev.strata.core.repo.Repository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --retry-lock}: a command kept out by another process's lock waits for it instead of failing at once. */
@Timeout(120)
class LockWaitTest {
    @TempDir
    Path tmp;
    CliRunner cli;
    Path src;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliRunner(tmp.resolve("repo"), tmp.resolve("cache")).password("pw");
        assertThat(cli.run("init").code()).isZero();
        src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "a");
    }

    /** Another process (its own cache folder) holding the exclusive lock that prune takes. */
    private Repository holdExclusive() throws IOException {
        return Repository.open(new LocalBackend(tmp.resolve("repo")), "pw".toCharArray(),
                OpenOptions.of(tmp.resolve("other-cache"), LockMode.EXCLUSIVE).withKdf(CliRunner.TEST_KDF),
                Clock.systemUTC(), HostIdentity.current());
    }

    @Test
    void withoutRetry_aBusyRepositoryFailsAtOnce_sayingHowToWait() throws IOException {
        try (Repository prune = holdExclusive()) {
            CliRunner.Result r = cli.run("backup", src.toString());

            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.LOCKED.code());
            assertThat(r.err()).contains("exclusive lock of pid " + ProcessHandle.current().pid())
                    .contains("--retry-lock DURATION waits");
            assertThat(r.err().strip().lines()).hasSize(1);
        }
    }

    @Test
    void retryLock_waitsForTheHolder_thenRuns() throws Exception {
        Repository prune = holdExclusive();
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(1500);
                prune.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        release.start();

        CliRunner.Result r = cli.run("backup", "--retry-lock", "1m", src.toString());

        release.join();
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(cli.run("snapshots").out()).contains(src.toString());
    }

    @Test
    void retryLock_givesUp_afterTheDuration() throws IOException {
        try (Repository prune = holdExclusive()) {
            long start = System.nanoTime();
            CliRunner.Result r = cli.run("check", "--retry-lock", "2s");

            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1_900L, 20_000L);
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.LOCKED.code());
            assertThat(r.err()).contains("(still locked after waiting PT2S)");
        }
    }

    @Test
    void retryLock_badDuration_isAUsageError() {
        CliRunner.Result r = cli.run("backup", "--retry-lock", "soon", src.toString());
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("cannot read duration 'soon'");
    }
}
