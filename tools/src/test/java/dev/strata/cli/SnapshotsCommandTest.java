package dev.strata.cli;

import dev.strata.core.backend.local.LocalBackend;
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

/**
 * {@code strata snapshots} beside other clients: it lists what the repository holds at that moment,
 * whatever its cache held, and takes no lock.
 */
@Timeout(120)
class SnapshotsCommandTest {
    private static final String PASSWORD = "correct horse";
    @TempDir
    Path tmp;
    Path repo;
    CliRunner mine;
    CliRunner other;

    @BeforeEach
    void setUp() throws IOException {
        repo = tmp.resolve("repo");
        mine = new CliRunner(repo, tmp.resolve("cache-mine")).password(PASSWORD);
        other = new CliRunner(repo, tmp.resolve("cache-other")).password(PASSWORD);
        ok(mine, "init");
        Files.createDirectories(tmp.resolve("a"));
        Files.writeString(tmp.resolve("a/first.txt"), "first");
        Files.createDirectories(tmp.resolve("b"));
        Files.writeString(tmp.resolve("b/second.txt"), "second");
    }

    @Test
    void showsAnotherClientsNewSnapshotAtOnce_andNotOneItForgot() {
        ok(mine, "backup", tmp.resolve("a").toString());
        assertThat(ok(mine, "snapshots").out()).contains("/a").contains("1 snapshot\n");

        ok(other, "backup", tmp.resolve("b").toString());
        assertThat(ok(mine, "snapshots").out()).contains("/a").contains("/b").contains("2 snapshots");

        String first = ok(other, "snapshots", "--json").out().replaceAll("(?s)^.*?\"id\":\"([0-9a-f]{64})\".*", "$1");
        ok(other, "forget", first);
        String after = ok(mine, "snapshots").out();
        assertThat(after).contains("/b").doesNotContain(tmp.resolve("a").toString()).contains("1 snapshot\n");
    }

    @Test
    void listsWhileAnotherProcessHoldsTheExclusiveLock() throws IOException {
        ok(mine, "backup", tmp.resolve("a").toString());
        try (Repository prune = Repository.open(new LocalBackend(repo), PASSWORD.toCharArray(),
                OpenOptions.of(tmp.resolve("cache-other"), LockMode.EXCLUSIVE).withKdf(CliRunner.TEST_KDF),
                Clock.systemUTC(), HostIdentity.current())) {
            assertThat(ok(mine, "snapshots").out()).contains("1 snapshot\n");
        }
    }

    private static CliRunner.Result ok(CliRunner cli, String... args) {
        CliRunner.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }
}
