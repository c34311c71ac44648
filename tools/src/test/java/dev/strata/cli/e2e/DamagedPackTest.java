package dev.strata.cli.e2e;

import dev.strata.cli.CliRunner;
import dev.strata.core.error.ExitCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
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
import org.junit.jupiter.api.BeforeEach;
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
 * One flipped byte inside a pack: {@code check --read-data} fails naming the pack, and restore writes
 * everything else byte for byte, lists what is damaged (a file, or a folder's contents) and exits with
 * the corrupt-data code (14).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DamagedPackTest {
    @TempDir
    Path tmp;
    CliRunner cli;
    Path src;
    TreeComparison.Manifest source;

    @BeforeEach
    void backUp() throws IOException {
        cli = E2e.smallRepository(tmp);
        src = tmp.resolve("src");
        Files.createDirectories(src.resolve("sub"));
        for (int i = 0; i < 12; i++) {
            Files.write(src.resolve((i % 3 == 0 ? "sub/" : "") + "file-" + i + ".bin"), RandomData.bytes(i, 150_000 + i * 1000));
        }
        source = TreeComparison.scan(src);
        ok(cli, "backup", src.toString());
        ok(cli, "check", "--read-data");
    }

    @Test
    void flippedByteInADataPack_isFoundByCheck_andRestoreSavesEverythingElse() throws IOException {
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
        flipByteIn(pack, victim);

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
        assertThat(diffs).as("everything but the damaged file is restored exactly").isEmpty();
    }

    @Test
    void flippedByteInAFolderTree_isFoundByCheck_andRestoreSavesTheOtherFolders() throws IOException {
        PackId pack;
        PackEntry victim;
        try (Repository r = TestRepositories.local(tmp).open(LockMode.READ)) {
            TreeStore trees = new TreeStore(r.store());
            Snapshot s = new Snapshots(r).list().get(0);
            ChunkId subTree = TreePaths.find(trees, s.tree(), src + "/sub").orElseThrow().subtree();
            ChunkLocation loc = r.index().lookup(subTree).orElseThrow();
            assertThat(loc.type()).isEqualTo(PackType.TREE);
            pack = loc.pack();
            victim = loc.entry();
        }
        flipByteIn(pack, victim);

        CliRunner.Result check = cli.run("check", "--read-data");
        assertThat(check.code()).as("%s", check).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(check.out()).as("%s", check).contains(pack.toString());

        Path out = tmp.resolve("out");
        CliRunner.Result restore = cli.run("restore", "latest:" + src, "--target", out.toString());
        assertThat(restore.code()).as("%s", restore).isEqualTo(ExitCode.CORRUPT.code());
        assertThat(restore.err()).as("%s", restore).contains("damaged, not restored: " + src + "/sub (folder contents)");
        TreeComparison.Manifest expected = source.only(p -> !p.startsWith("sub/"));
        List<String> diffs = TreeComparison.compare(expected, TreeComparison.scan(out), false);
        assertThat(diffs).as("every file outside the damaged folder is restored exactly").isEmpty();
    }

    private void flipByteIn(PackId pack, PackEntry entry) throws IOException {
        Path packFile;
        try (Stream<Path> s = Files.walk(tmp.resolve("repo").resolve("data"))) {
            packFile = s.filter(p -> p.getFileName().toString().equals(pack.toString())).findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(packFile.toFile(), "rw")) {
            long at = entry.offset() + entry.storedLength() / 2;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x40);
        }
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
