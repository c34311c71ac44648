package dev.strata.cli.e2e;

import dev.strata.cli.CliRunner;
import dev.strata.core.error.ExitCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.Node;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rebuilding the index never throws readable data away: after {@code repair index}, after the cache
 * folder is deleted, and after its LMDB file is overwritten with garbage, a restore of a snapshot
 * whose packs have damaged headers, tables or tails brings back every file whose chunks still
 * authenticate, byte for byte, and lists exactly the others.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SalvageEndToEndTest {
    @TempDir
    Path tmp;
    CliRunner cli;
    Path src;
    TreeComparison.Manifest source;
    Set<String> lost;

    @BeforeEach
    void backUpAndDamage() throws IOException {
        cli = E2e.smallRepository(tmp);
        src = tmp.resolve("src");
        Files.createDirectories(src);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 70; i++) {
            int size = 1 + r.nextInt(90_000);
            Files.write(src.resolve("file-" + i), r.nextInt(3) == 0 ? RandomData.text(i, size) : RandomData.bytes(i, size));
        }
        source = TreeComparison.scan(src);
        ok(cli, "backup", src.toString());

        PackDamage damage = new PackDamage(tmp);
        List<PackTable> data = damage.tables().stream().filter(t -> t.type() == PackType.DATA)
                .sorted(Comparator.comparingInt((PackTable t) -> t.entries().size()).reversed()).toList();
        assertThat(data.size()).as("data packs").isGreaterThanOrEqualTo(3);
        damage.flipTable(data.get(0));
        damage.flip(data.get(1).id(), 20);
        int k = data.get(2).entries().size() / 2;
        damage.cutIn(data.get(2), k);
        Set<ChunkId> gone = new HashSet<>();
        data.get(2).entries().subList(k, data.get(2).entries().size()).forEach(e -> gone.add(e.id()));
        lost = filesUsing(gone);
        assertThat(lost).isNotEmpty();
        assertThat(lost.size()).isLessThan(source.paths().size() - 1);
    }

    @Test
    void repairIndex_keepsEveryReadableChunk() {
        CliRunner.Result repair = cli.run("repair", "index");
        assertThat(repair.code()).as("%s", repair).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(repair.out()).as("%s", repair).contains("3 damaged pack(s) salvaged, 1 of them lost data");
        assertThat(repair.err().lines().filter(l -> l.startsWith("strata: damaged pack ")).count()).as("%s", repair).isEqualTo(3);

        restoreSavesAllButTheLostFiles();
    }

    @Test
    void aDeletedCacheFolder_isRebuiltWithEveryReadableChunk_andSaysSo() throws IOException {
        deleteRecursively(tmp.resolve("cache"));

        // 'snapshots' reads only the snapshot records; the first command that needs the index rebuilds it.
        assertThat(ok(cli, "snapshots").err()).doesNotContain("damaged");
        CliRunner.Result ls = ok(cli, "ls", "latest");
        assertThat(ls.err().lines().filter(l -> l.startsWith("strata: damaged pack ")).count())
                .as("%s", ls).isEqualTo(3);
        assertThat(ok(cli, "ls", "latest").err()).as("said once").doesNotContain("damaged");

        restoreSavesAllButTheLostFiles();
    }

    @Test
    void aCacheFileOfGarbage_isSetAsideAndRebuilt() throws IOException {
        ok(cli, "snapshots");
        Path data;
        try (Stream<Path> s = Files.walk(tmp.resolve("cache"))) {
            data = s.filter(p -> p.getFileName().toString().equals("data.mdb")).findFirst().orElseThrow();
        }
        byte[] junk = new byte[(int) Files.size(data)];
        new SplittableRandom(9).nextBytes(junk);
        Files.write(data, junk);

        CliRunner.Result snapshots = ok(cli, "snapshots");
        assertThat(snapshots.err()).as("%s", snapshots).contains("the index cache").contains("was damaged")
                .contains("is rebuilt from the packs");

        restoreSavesAllButTheLostFiles();
    }

    private void restoreSavesAllButTheLostFiles() {
        Path out = tmp.resolve("out");
        CliRunner.Result restore = cli.run("restore", "latest:" + src, "--target", out.toString());
        assertThat(restore.code()).as("%s", restore).isEqualTo(ExitCode.CORRUPT.code());
        Set<String> listed = new TreeSet<>();
        restore.err().lines().filter(l -> l.startsWith("damaged, not restored: "))
                .map(l -> l.substring("damaged, not restored: ".length()))
                .forEach(l -> listed.add(l.contains(": ") ? l.substring(0, l.indexOf(": ")) : l));
        Set<String> expected = new TreeSet<>();
        lost.forEach(p -> expected.add(src + "/" + p));
        assertThat(listed).as("%s", restore).isEqualTo(expected);
        List<String> diffs;
        try {
            diffs = TreeComparison.compare(source.only(p -> !lost.contains(p)), TreeComparison.scan(out), false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(diffs).as("every file that did not lose a chunk is restored exactly").isEmpty();
    }

    /** The files of the snapshot (relative to the source) that use any of {@code chunks}. */
    private Set<String> filesUsing(Set<ChunkId> chunks) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Repository r = TestRepositories.local(tmp).open(LockMode.READ)) {
            TreeStore trees = new TreeStore(r.store());
            Snapshot s = new Snapshots(r).list().get(0);
            Node dir = TreePaths.find(trees, s.tree(), src.toString()).orElseThrow();
            for (Node n : trees.read(dir.subtree()).nodes()) {
                for (ChunkRef ref : trees.refs(n.content())) {
                    if (!ref.isHole() && chunks.contains(ref.id())) {
                        out.add(n.name());
                    }
                }
            }
        }
        return out;
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
