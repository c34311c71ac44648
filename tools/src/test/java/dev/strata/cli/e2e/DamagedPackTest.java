package dev.strata.cli.e2e;

import dev.strata.cli.CliRunner;
import dev.strata.core.error.ExitCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.PackEntry;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One flipped byte inside a data pack: {@code check --read-data} fails naming the pack, and restore
 * writes every other file byte for byte, lists the damaged one and exits with the corrupt-data code.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DamagedPackTest {
    @TempDir
    Path tmp;

    @Test
    void flippedByteInADataPack_isFoundByCheck_andRestoreSavesEverythingElse() throws IOException {
        CliRunner cli = E2e.smallRepository(tmp);
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        for (int i = 0; i < 12; i++) {
            Files.write(src.resolve((i % 3 == 0 ? "sub/" : "") + "file-" + i + ".bin"), RandomData.bytes(i, 150_000 + i * 1000));
        }
        TreeComparison.Manifest source = TreeComparison.scan(src);
        ok(cli, "backup", src.toString());
        ok(cli, "check", "--read-data");

        // Pick a chunk in the middle of the largest data pack and find the files that use it.
        PackId pack;
        PackEntry victim;
        Set<String> expectedDamaged = new TreeSet<>();
        try (Repository r = TestRepositories.local(tmp).open(LockMode.READ)) {
            PackRecord biggest = r.index().packs().values().stream().filter(p -> p.type() == PackType.DATA)
                    .max(Comparator.comparingLong(PackRecord::size)).orElseThrow();
            pack = biggest.id();
            List<PackEntry> entries = r.store().packReader().readTable(pack).entries();
            victim = entries.get(entries.size() / 2);
            TreeStore trees = new TreeStore(r.store());
            Snapshot s = new Snapshots(r).list().get(0);
            collectUsers(trees, TreePaths.find(trees, s.tree(), src.toString()).orElseThrow(), src.toString(),
                    victim.id(), expectedDamaged);
        }
        assertThat(expectedDamaged).hasSize(1);

        Path packFile;
        try (Stream<Path> s = Files.walk(tmp.resolve("repo").resolve("data"))) {
            packFile = s.filter(p -> p.getFileName().toString().equals(pack.toString())).findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(packFile.toFile(), "rw")) {
            long at = victim.offset() + victim.storedLength() / 2;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x40);
        }

        CliRunner.Result check = cli.run("check", "--read-data");
        assertThat(check.code()).as("%s", check).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(check.out()).as("%s", check).contains(pack.toString()).contains("error(s) found");

        Path out = tmp.resolve("out");
        CliRunner.Result restore = cli.run("restore", "latest:" + src, "--target", out.toString());
        assertThat(restore.code()).as("%s", restore).isEqualTo(ExitCode.CORRUPT.code());
        for (String path : expectedDamaged) {
            assertThat(restore.err()).as("%s", restore).contains("damaged, not restored: " + path);
        }
        assertThat(restore.err().lines().filter(l -> l.startsWith("damaged")).count()).as("%s", restore)
                .isEqualTo(expectedDamaged.size());
        assertThat(restore.out()).contains(expectedDamaged.size() + " file(s) could not be restored");
        String prefix = src + "/";
        List<String> diffs = TreeComparison.compare(
                source.only(p -> !expectedDamaged.contains(prefix + p)), TreeComparison.scan(out), false);
        // Folders holding the damaged file have other mtimes only if restore touched them after; they must not.
        assertThat(diffs).as("everything but the damaged file is restored exactly").isEmpty();
    }

    private static void collectUsers(TreeStore trees, Node dir, String path, ChunkId chunk, Set<String> out) throws IOException {
        for (Node n : trees.read(dir.subtree()).nodes()) {
            String p = path + "/" + n.name();
            if (n.isDirectory()) {
                collectUsers(trees, n, p, chunk, out);
            } else if (n.isFile()) {
                for (ChunkRef ref : trees.refs(n.content())) {
                    if (!ref.isHole() && ref.id().equals(chunk)) {
                        out.add(p);
                    }
                }
            }
        }
    }
}
