package dev.strata.cli.e2e;

import dev.strata.cli.CliRunner;
import dev.strata.core.error.ExitCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.TreePaths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.lastJson;
import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A damaged repository heals: packs are flipped, cut short and deleted, a folder's tree is damaged;
 * {@code check --read-data} names exactly those packs; {@code repair snapshots} rewrites the snapshots
 * without the lost data so that {@code check} is clean; the next backup of the intact source stores
 * the lost chunks again and restores byte for byte; prune then removes the damaged packs. Prune
 * refuses to run around lost data unless asked, and when asked it keeps everything readable.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HealingEndToEndTest {
    @TempDir
    Path tmp;
    CliRunner cli;
    Path src;
    Set<String> damagedPacks = new TreeSet<>();

    @BeforeEach
    void backUpTwiceAndDamage() throws IOException {
        cli = E2e.smallRepository(tmp);
        src = tmp.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 80; i++) {
            int size = 1 + r.nextInt(150_000);
            Path p = src.resolve((i % 5 == 0 ? "sub/" : "") + "file-" + i);
            Files.write(p, r.nextInt(3) == 0 ? RandomData.text(i, size) : RandomData.bytes(i, size));
        }
        ok(cli, "backup", src.toString());
        Files.write(src.resolve("file-1"), RandomData.bytes(1001, 50_000));
        ok(cli, "backup", src.toString());

        PackDamage damage = new PackDamage(tmp);
        List<PackTable> tables = damage.tables();
        List<PackTable> data = tables.stream().filter(t -> t.type() == PackType.DATA && t.entries().size() >= 3)
                .sorted(Comparator.comparing(t -> t.id().toString())).toList();
        assertThat(data.size()).isGreaterThanOrEqualTo(4);
        damage.flipEntry(data.get(0), data.get(0).entries().get(1));
        damage.flipTable(data.get(1));
        damage.cutIn(data.get(2), data.get(2).entries().size() / 2);
        damage.delete(data.get(3));
        ChunkLocation subTree = subTreeLocation();
        PackTable treePack = tables.stream().filter(t -> t.id().equals(subTree.pack())).findFirst().orElseThrow();
        damage.flipEntry(treePack, subTree.entry());
        for (PackTable t : List.of(data.get(0), data.get(1), data.get(2), data.get(3), treePack)) {
            damagedPacks.add(t.id().toString());
        }
    }

    @Test
    void checkRepairBackUpAgain_makeTheRepositoryWholeAndTheSourceRestorable() throws IOException {
        CliRunner.Result check = cli.run("check", "--read-data");
        assertThat(check.code()).as("%s", check).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(PackDamage.packIdsIn(check.out())).as("%s", check).isEqualTo(damagedPacks);

        CliRunner.Result prune = cli.run("prune");
        assertThat(prune.code()).as("%s", prune).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(prune.err()).as("%s", prune).contains("prune stopped before deleting anything")
                .contains("'strata repair snapshots'").contains("--ignore-damaged");

        CliRunner.Result repair = ok(cli, "repair", "snapshots");
        assertThat(repair.out()).as("%s", repair).contains(src + "/sub: folder contents unreadable")
                .contains("chunk(s) lost").contains("saved as").contains("2 snapshot(s) repaired");

        CliRunner.Result clean = ok(cli, "check", "--read-data");
        assertThat(clean.out()).as("%s", clean).contains("no errors were found");
        ok(cli, "check");
        assertThat(ok(cli, "snapshots").out()).contains("repaired");

        TreeComparison.Manifest source = TreeComparison.scan(src);
        var backup = lastJson(ok(cli, "backup", src.toString(), "--json"));
        assertThat(backup.get("bytesAdded").asLong()).as("the lost chunks are stored again: %s", backup).isPositive();
        Path out = tmp.resolve("out");
        ok(cli, "restore", "latest:" + src, "--target", out.toString());
        assertThat(TreeComparison.compare(source, TreeComparison.scan(out), false)).isEmpty();

        ok(cli, "prune");
        CliRunner.Result after = ok(cli, "check", "--read-data");
        assertThat(PackDamage.packIdsIn(after.out())).as("the damaged packs are gone: %s", after).isEmpty();
        Path again = tmp.resolve("again");
        ok(cli, "restore", "latest:" + src, "--target", again.toString());
        assertThat(TreeComparison.compare(source, TreeComparison.scan(again), false)).isEmpty();
    }

    @Test
    void pruneIgnoringDamage_keepsEverythingReadable() throws IOException {
        TreeComparison.Manifest source = TreeComparison.scan(src);
        Path before = tmp.resolve("before");
        CliRunner.Result first = cli.run("restore", "latest:" + src, "--target", before.toString());
        assertThat(first.code()).as("%s", first).isEqualTo(ExitCode.CORRUPT.code());

        CliRunner.Result prune = ok(cli, "prune", "--ignore-damaged");
        assertThat(prune.out()).as("%s", prune).contains("pruned around");

        Path after = tmp.resolve("after");
        CliRunner.Result second = cli.run("restore", "latest:" + src, "--target", after.toString());
        assertThat(second.code()).as("%s", second).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(damagedLines(second)).isEqualTo(damagedLines(first));
        assertThat(TreeComparison.compare(TreeComparison.scan(before), TreeComparison.scan(after), false))
                .as("prune lost nothing that was readable").isEmpty();
        assertThat(source.paths()).isNotEmpty();
    }

    private static Set<String> damagedLines(CliRunner.Result restore) {
        Set<String> out = new TreeSet<>();
        restore.err().lines().filter(l -> l.startsWith("damaged, not restored: "))
                .map(l -> l.contains(": chunk") || l.contains(": pack") ? l.substring(0, l.indexOf(": ", 23)) : l)
                .forEach(out::add);
        return out;
    }

    /** Where the latest snapshot's tree of the folder {@code sub} is stored. */
    private ChunkLocation subTreeLocation() throws IOException {
        try (Repository r = TestRepositories.local(tmp).open(LockMode.READ)) {
            TreeStore trees = new TreeStore(r.store());
            List<Snapshot> all = new Snapshots(r).list();
            ChunkId sub = TreePaths.find(trees, all.get(all.size() - 1).tree(), src + "/sub").orElseThrow().subtree();
            return r.index().lookup(sub).orElseThrow();
        }
    }
}
