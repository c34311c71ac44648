package dev.strata.cli;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.repo.HostIdentity;
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
 * {@code strata ls} beside another client of the same repository: it does not list every pack at open,
 * and still shows what the other client saved or forgot, at once.
 */
@Timeout(120)
class LsCommandTest {
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
    void latest_showsAnotherClientsNewSnapshot_andNotOnceItIsForgotten() {
        ok(mine, "backup", tmp.resolve("a").toString());
        assertThat(ok(mine, "ls", "latest").out()).contains("first.txt");

        ok(other, "backup", tmp.resolve("b").toString());
        String latest = ok(mine, "ls", "latest").out();
        assertThat(latest).as("its trees are in packs my index does not know yet").contains("second.txt")
                .doesNotContain("first.txt");

        String id = ok(other, "snapshots", "--json").out().replaceAll("(?s).*\"id\":\"([0-9a-f]{64})\".*", "$1");
        ok(other, "forget", id);
        assertThat(ok(mine, "ls", "latest").out()).contains("first.txt").doesNotContain("second.txt");
    }

    @Test
    void packsOfAnotherClient_areNotListedAtOpen_whenTheTreesReadAreKnown() throws IOException {
        ok(mine, "backup", tmp.resolve("a").toString());
        int known = packsKnownTo(tmp.resolve("cache-mine"));
        ok(other, "backup", tmp.resolve("b").toString());
        String id = ok(mine, "snapshots", "--json").out().replaceAll("(?s)^.*?\"id\":\"([0-9a-f]{64})\".*", "$1");

        assertThat(ok(mine, "ls", id).out()).contains("first.txt");

        assertThat(packsKnownTo(tmp.resolve("cache-mine"))).as("the other client's packs").isEqualTo(known);
    }

    private int packsKnownTo(Path cache) throws IOException {
        try (Repository r = Repository.open(new LocalBackend(repo), PASSWORD.toCharArray(),
                OpenOptions.of(cache, null).withoutIndexSync(), Clock.systemUTC(), HostIdentity.current())) {
            return r.index().packs().size();
        }
    }

    private static CliRunner.Result ok(CliRunner cli, String... args) {
        CliRunner.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }
}
