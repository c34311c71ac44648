package dev.strata.fstests;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.crypto.KdfParams;
import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.HostIdentity;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.OpenOptions;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.HostileTrees;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.fuse.FuseMount;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.SnapshotSummary;
import dev.strata.snapshot.Snapshots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A repository written by an attacker who holds its key: folders whose entries are named {@code ..},
 * {@code .}, contain {@code /} or NUL, or claim 2^31 entries; a file whose chunk reference is longer
 * than the chunk; a 2^62-byte sparse file. Restore and the mount refuse the hostile parts with a
 * clear line each, serve everything else, and nothing is ever written outside the restore target.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileRepositoryIT {
    private static final byte[] OK_CONTENT = "a file that is fine\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ESCAPED = "written outside the target\n".getBytes(StandardCharsets.UTF_8);

    private Path dir;
    private Strata strata;

    @BeforeAll
    void hostileRepository() throws IOException {
        dir = Files.createTempDirectory("strata-hostile-it");
        strata = new Strata(dir);
        strata.run("init").ok();
        try (Repository repo = Repository.open(new LocalBackend(strata.repo), Strata.PASSWORD.toCharArray(),
                OpenOptions.of(strata.cache, LockMode.APPEND).withKdf(new KdfParams(64, 1, 1)),
                Clock.systemUTC(), HostIdentity.current())) {
            TreeStore trees = new TreeStore(repo.store());
            ChunkId ok = repo.store().put(OK_CONTENT, PackType.DATA);
            ChunkId escaped = repo.store().put(ESCAPED, PackType.DATA);
            List<ChunkRef> escapedRefs = List.of(ChunkRef.chunk(escaped, ESCAPED.length));
            ChunkId escapeFolder = trees.write(new Tree(List.of(file("escaped.txt", escapedRefs))));
            List<Node> nodes = new ArrayList<>();
            nodes.add(folder("dot", hostile(repo, HostileTrees.treeWithName(".", escapeFolder, null))));
            nodes.add(folder("dotdot", hostile(repo, HostileTrees.treeWithName("..", escapeFolder, null))));
            nodes.add(folder("nul", hostile(repo, HostileTrees.treeWithName("escaped\0.txt", null, escapedRefs))));
            nodes.add(folder("slash", hostile(repo, HostileTrees.treeWithName("../../../escaped.txt", null, escapedRefs))));
            nodes.add(folder("wide", hostile(repo, HostileTrees.treeClaimingEntries(1L << 31, 64))));
            nodes.add(file("huge.img", List.of(ChunkRef.hole(1L << 62))));
            nodes.add(file("ok.txt", List.of(ChunkRef.chunk(ok, OK_CONTENT.length))));
            nodes.add(file("past.txt", List.of(ChunkRef.chunk(ok, OK_CONTENT.length + 4096))));
            ChunkId hostileFolder = trees.write(new Tree(nodes));
            ChunkId root = trees.write(new Tree(List.of(folder("hostile", hostileFolder))));
            repo.store().flush();
            new Snapshots(repo).save(new Snapshot(null, SnapshotKind.BACKUP, Instant.now(), "attacker", "mallory",
                    0, 0, List.of("/hostile"), List.of(), null, root, List.of(), SnapshotSummary.NONE, null));
        }
    }

    @AfterAll
    void cleanUp() throws IOException {
        TempDirs.delete(dir);
    }

    private static ChunkId hostile(Repository repo, byte[] tree) throws IOException {
        return repo.store().put(tree, PackType.TREE);
    }

    private static Node folder(String name, ChunkId subtree) {
        return Node.builder(name, NodeType.DIRECTORY).mode(0755).subtree(subtree).build();
    }

    private static Node file(String name, List<ChunkRef> refs) {
        return Node.builder(name, NodeType.FILE).mode(0644).content(new FileContent.Inline(refs)).build();
    }

    /** Every regular file below {@code root} named like the escaping file. */
    private static List<Path> escapedFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith("escaped")).toList();
        }
    }

    @Test
    void restore_refusesTheHostileFolders_writesNothingOutside_andRestoresTheRest() throws IOException {
        Path target = dir.resolve("work/target");
        Files.createDirectories(target);

        Strata.Result r = strata.run("restore", "latest", "--target", target.toString());

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(14);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("internal error");
        for (String folder : List.of("dot", "dotdot", "nul", "slash", "wide")) {
            assertThat(r.err()).as(r.err()).contains("damaged, not restored: /hostile/" + folder + " (folder contents)");
        }
        assertThat(r.err()).contains("past.txt");
        assertThat(Files.readAllBytes(target.resolve("hostile/ok.txt"))).isEqualTo(OK_CONTENT);
        assertThat(escapedFiles(dir)).as("no escaped file anywhere in the test folder").isEmpty();
        try (Stream<Path> s = Files.list(dir.resolve("work"))) {
            assertThat(s.toList()).containsExactly(target);
        }
    }

    @Test
    void check_namesEveryHostileTree_onOneLineEach() {
        Strata.Result r = strata.run("check");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(14);
        assertThat(r.out()).contains("unsafe entry name '..'").contains("unsafe entry name '.'")
                .contains("count 2147483648 does not fit").doesNotContain("\tat ");
    }

    @Test
    void mount_refusesTheHostileFolders_andServesTheRest() throws Exception {
        try (MountProcess mount = MountProcess.start(strata, dir.resolve("mnt"))) {
            Path hostile;
            try (Stream<Path> s = Files.list(mount.mountpoint.resolve("snapshots"))) {
                Path source = s.findFirst().orElseThrow();
                hostile = source.resolve(Files.readSymbolicLink(source.resolve("latest")));
            }
            assertThat(Files.readAllBytes(hostile.resolve("ok.txt"))).isEqualTo(OK_CONTENT);
            for (String folder : List.of("dot", "dotdot", "nul", "slash", "wide")) {
                assertThatThrownBy(() -> {
                    try (Stream<Path> s = Files.list(hostile.resolve(folder))) {
                        s.count();
                    }
                }).as(folder).isInstanceOfAny(IOException.class, java.io.UncheckedIOException.class)
                        .hasMessageContaining("Input/output error");
            }
            assertThatThrownBy(() -> Files.readAllBytes(hostile.resolve("past.txt"))).isInstanceOf(IOException.class);
            assertThat(Files.size(hostile.resolve("huge.img"))).isEqualTo(1L << 62);
            try (InputStream in = Files.newInputStream(hostile.resolve("huge.img"))) {
                assertThat(in.readNBytes(1 << 16)).isEqualTo(new byte[1 << 16]);
            }
            assertThat(mount.process.isAlive()).isTrue();
            String log = mount.log();
            assertThat(log).contains("unsafe entry name '..'").contains("has 20 bytes, the file expects 4116")
                    .doesNotContain("\tat ");
            assertThat(mount.terminate()).isZero();
            assertThat(FuseMount.isMounted(mount.mountpoint)).isFalse();
        }
    }
}
