package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliRunner;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.repo.Lease;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import dev.strata.snapshot.backup.Backup;
import dev.strata.snapshot.backup.BackupCounters;
import dev.strata.snapshot.backup.BackupProgress;
import dev.strata.snapshot.backup.BackupRequest;
import dev.strata.snapshot.backup.LocalSourceFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.lastJson;
import static dev.strata.cli.e2e.E2e.ok;
import static dev.strata.cli.e2e.E2e.restoredAt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prune beside writers (docs/format.md §7.1): what it finds unused is condemned, and deleted only
 * once every running writer knows; a writer that referred to a condemned chunk before it knew keeps
 * it. The writers here are opened in process with a cache of their own, as another process would.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PruneBesideWritersTest {
    @TempDir
    Path tmp;

    private CliRunner cli;
    private Path src;

    /** Two backups, the first forgotten: its file {@code a.bin} is in no snapshot any more. */
    private void forgottenFile() throws IOException {
        cli = E2e.smallRepository(tmp);
        src = tmp.resolve("src");
        Files.createDirectories(src);
        Files.write(src.resolve("a.bin"), RandomData.bytes(1, 600_000));
        String first = lastJson(ok(cli, "backup", src.toString(), "--json")).get("snapshot").asText();
        Files.delete(src.resolve("a.bin"));
        Files.write(src.resolve("b.bin"), RandomData.bytes(2, 600_000));
        ok(cli, "backup", src.toString(), "--json");
        ok(cli, "forget", first);
    }

    private Repository writer(String name) throws IOException {
        return TestRepositories.on(new LocalBackend(tmp.resolve("repo")), tmp.resolve("cache-" + name)).open(LockMode.APPEND);
    }

    private Set<String> packs() throws IOException {
        Set<String> out = new HashSet<>();
        for (BlobInfo b : new LocalBackend(tmp.resolve("repo")).list(BlobType.PACK)) {
            out.add(b.name().name());
        }
        return out;
    }

    private JsonNode prune() {
        return lastJson(ok(cli, "prune", "--json"));
    }

    @Test
    void withNoWriterRunning_pruneDeletesAtOnce() throws IOException {
        forgottenFile();
        JsonNode r = prune();
        assertThat(r.get("packsDeleted").asInt()).as("%s", r).isPositive();
        assertThat(r.get("packsWaiting").asInt()).isZero();
        assertThat(new LocalBackend(tmp.resolve("repo")).list(BlobType.CONDEMNED)).as("nothing left condemned").isEmpty();
        ok(cli, "check", "--read-data");
    }

    @Test
    void aRunningWriter_holdsBackTheDeletion_untilItKnowsTheCondemnation() throws IOException {
        forgottenFile();
        try (Repository backup = writer("backup")) {
            Set<String> before = packs();
            JsonNode r = prune();
            assertThat(r.get("packsDeleted").asInt()).as("%s", r).isZero();
            assertThat(r.get("packsWaiting").asInt()).isPositive();
            assertThat(r.get("waitingFor").toString()).contains("append lock");
            assertThat(packs()).as("condemned, not deleted").containsAll(before);

            backup.refreshCondemnations();
            JsonNode again = prune();
            assertThat(again.get("packsWaiting").asInt()).as("%s", again).isZero();
            assertThat(packs()).as("the condemned packs are gone now").hasSizeLessThan(before.size());
        }
        ok(cli, "check", "--read-data");
        Path out = tmp.resolve("out");
        ok(cli, "restore", "latest", "--target", out.toString());
        assertThat(Files.readAllBytes(restoredAt(out, src).resolve("b.bin"))).isEqualTo(RandomData.bytes(2, 600_000));
    }

    @Test
    void aWriterThatReferredToACondemnedChunkBeforeItKnew_keepsIt() throws IOException {
        forgottenFile();
        Path again = tmp.resolve("again");
        Files.createDirectories(again);
        Files.write(again.resolve("a.bin"), RandomData.bytes(1, 600_000));
        String saved;
        try (Repository backup = writer("backup")) {
            JsonNode r = prune();
            assertThat(r.get("packsWaiting").asInt()).as("%s", r).isPositive();
            // Opened before the condemnation: its index still offers a.bin's chunks, and it refers to them.
            var result = new Backup(backup, new LocalSourceFs()).run(BackupRequest.of(List.of(again)), new BackupCounters(),
                    BackupProgress.NONE);
            saved = result.snapshot().id().toString();
        }
        JsonNode r = prune();
        assertThat(r.get("packsWaiting").asInt()).as("%s", r).isZero();
        assertThat(r.get("packsRepacked").asInt()).as("the chunks it referred to moved before their pack went").isPositive();
        ok(cli, "check", "--read-data");
        Path out = tmp.resolve("out");
        ok(cli, "restore", saved, "--target", out.toString());
        assertThat(Files.readAllBytes(restoredAt(out, again).resolve("a.bin"))).isEqualTo(RandomData.bytes(1, 600_000));
    }

    /**
     * A backup that saves its snapshot after prune opened the repository (and brought its index up to
     * date) but before prune lists the snapshots: prune marks that snapshot, so it must know its packs.
     */
    @Test
    void aSnapshotSavedAfterPruneOpened_isMarkedNotTakenForLost() throws IOException {
        forgottenFile();
        Path later = tmp.resolve("later");
        Files.createDirectories(later);
        Files.write(later.resolve("c.bin"), RandomData.bytes(3, 600_000));
        try (Repository pruner = TestRepositories.on(new LocalBackend(tmp.resolve("repo")), tmp.resolve("cache-pruner"))
                .open(LockMode.PRUNE)) {
            try (Repository backup = writer("late-backup")) {
                new Backup(backup, new LocalSourceFs()).run(BackupRequest.of(List.of(later)), new BackupCounters(),
                        BackupProgress.NONE);
            }
            var result = new dev.strata.snapshot.prune.Prune(pruner).run(0, false, new dev.strata.snapshot.prune.PruneObserver() {
            });
            assertThat(result.packsDeleted()).as("%s", result).isPositive();
        }
        ok(cli, "check", "--read-data");
        Path out = tmp.resolve("out");
        ok(cli, "restore", "latest", "--target", out.toString());
        assertThat(Files.readAllBytes(restoredAt(out, later).resolve("c.bin"))).isEqualTo(RandomData.bytes(3, 600_000));
    }

    @Test
    void aLeaseOfAVolumeThatDoesNotKnow_holdsBackTheDeletion_untilUnlockRemovesIt() throws IOException {
        forgottenFile();
        try (Repository r = writer("lease")) {
            new Lease("00112233445566778899aabbccddeeff", "volume docs", "elsewhere", Instant.now(), Set.of())
                    .write(r.backend(), r.key());
        }
        JsonNode first = prune();
        assertThat(first.get("packsWaiting").asInt()).as("%s", first).isPositive();
        assertThat(first.get("waitingFor").toString()).contains("volume docs");
        CliRunner.Result text = ok(cli, "prune");
        assertThat(text.out()).contains("are condemned and go at a later prune").contains("volume docs");

        assertThat(ok(cli, "unlock", "--lease", "docs").out()).contains("removed the lease of volume docs");
        JsonNode second = prune();
        assertThat(second.get("packsWaiting").asInt()).as("%s", second).isZero();
        assertThat(second.get("packsDeleted").asInt()).isPositive();
        ok(cli, "check", "--read-data");
    }

    /** A temporary file in the repository's staging folder, last changed {@code age} ago. */
    private Path leftover(String name, java.time.Duration age) throws IOException {
        Path p = tmp.resolve("repo").resolve("tmp").resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[100]);
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(Instant.now().minus(age)));
        return p;
    }

    /**
     * Temporary files of writes that never completed: with no writer running, prune removes those
     * older than its own start (less a margin for clocks), never one a writer that began meanwhile is
     * writing; with a writer running, only those untouched for a day.
     */
    @Test
    void leftoverTemporaryFiles_go_butNotThoseOfAWriterThatBeganMeanwhile() throws IOException {
        forgottenFile();
        Path old = leftover("old.tmp", java.time.Duration.ofDays(2));
        Path crashed = leftover("crashed.tmp", java.time.Duration.ofMinutes(30));
        Path begun = leftover("begun.tmp", java.time.Duration.ZERO);
        prune();
        assertThat(old).doesNotExist();
        assertThat(crashed).doesNotExist();
        assertThat(begun).as("a file a writer began while prune ran").exists();

        Path old2 = leftover("old2.tmp", java.time.Duration.ofDays(2));
        Path crashed2 = leftover("crashed2.tmp", java.time.Duration.ofMinutes(30));
        try (Repository backup = writer("backup")) {
            prune();
        }
        assertThat(old2).doesNotExist();
        assertThat(crashed2).as("with a writer running, a file changed within a day may be its own").exists();
        assertThat(begun).exists();
    }
}
