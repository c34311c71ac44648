package dev.strata.snapshot.view;

import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.backup.Backup;
import dev.strata.snapshot.backup.BackupCounters;
import dev.strata.snapshot.backup.BackupProgress;
import dev.strata.snapshot.backup.BackupRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mounted tree as a view, without a kernel: names, links, versions, contents, refresh. */
@Timeout(120)
class MountViewTest {
    private static final Instant T1 = Instant.parse("2026-01-10T08:00:00Z");
    private static final Instant T2 = Instant.parse("2026-02-11T09:30:15Z");
    private static final Instant T3 = Instant.parse("2026-02-12T10:00:00Z");

    @TempDir
    Path dir;
    private Path source;
    private Repository repo;
    private ViewContext ctx;
    private ViewNode root;
    private String sourceName;

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(dir.resolve("data/docs"));
        TestRepositories.Fixture fixture = TestRepositories.local(dir.resolve("r")).small().init();
        repo = fixture.open(LockMode.WRITE);
        Files.writeString(source.resolve("notes.txt"), "first");
        Files.createDirectories(source.resolve("sub"));
        Files.write(source.resolve("sub/big.bin"), random(3 << 20, 1));
        backup(T1, "daily");
        Files.writeString(source.resolve("notes.txt"), "second");
        backup(T2);
        backup(T3, "weekly");
        sourceName = SourceNames.source(new Snapshots(repo).list().get(0));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (ctx != null) {
            ctx.close();
        }
        repo.close();
    }

    private void backup(Instant t, String... tags) throws IOException {
        new Backup(repo, new dev.strata.snapshot.backup.LocalSourceFs())
                .run(BackupRequest.of(List.of(source)).withTime(t).withTags(List.of(tags)), new BackupCounters(),
                        BackupProgress.NONE);
    }

    private ViewNode mount(int groupAbove) throws IOException {
        SnapshotCatalog catalog = new SnapshotCatalog(new Snapshots(repo), SnapshotKind.BACKUP, p -> { });
        catalog.refresh();
        ctx = new ViewContext(new TreeStore(repo.store()), catalog, 0, 0, Timestamp.of(Instant.now()), groupAbove, p -> { });
        root = new MountRoot(ctx, Map.of());
        return root;
    }

    private ViewNode at(String path) throws IOException {
        ViewNode n = root;
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                n = n.child(part).orElseThrow(() -> new AssertionError("no " + part + " in " + path));
            }
        }
        return n;
    }

    private static List<String> names(ViewNode dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (DirEntry e : dir.list()) {
            out.add(e.name());
        }
        return out;
    }

    private static byte[] read(ViewNode file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long size = file.attributes().size();
        try (OpenFile f = file.open()) {
            byte[] buf = new byte[128 << 10];
            long off = 0;
            while (off < size) {
                int n = f.read(off, buf.length, new ReadSink() {
                    @Override
                    public void put(int at, byte[] src, int srcOffset, int length) {
                        System.arraycopy(src, srcOffset, buf, at, length);
                    }

                    @Override
                    public void zero(int at, int length) {
                        java.util.Arrays.fill(buf, at, at + length, (byte) 0);
                    }
                });
                assertThat(n).isPositive();
                out.write(buf, 0, n);
                off += n;
            }
        }
        return out.toByteArray();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void backgroundWork_runsInAMountsView_andNotInOneMadeWithoutReadAhead() throws Exception {
        SnapshotCatalog catalog = new SnapshotCatalog(new Snapshots(repo), SnapshotKind.BACKUP, p -> { });
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        try (ViewContext mounted = new ViewContext(new TreeStore(repo.store()), catalog, 0, 0, Timestamp.EPOCH)) {
            mounted.inBackground(ran::countDown);
            assertThat(ran.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        java.util.concurrent.atomic.AtomicBoolean ranToo = new java.util.concurrent.atomic.AtomicBoolean();
        try (ViewContext oneLook = new ViewContext(new TreeStore(repo.store()), catalog, 0, 0, Timestamp.EPOCH,
                ViewContext.GROUP_ABOVE, p -> { }, false)) {
            oneLook.inBackground(() -> ranToo.set(true));
            Thread.sleep(200);
        }
        assertThat(ranToo).as("a walk in a view that reads nothing ahead").isFalse();
    }

    @Test
    void aSavedFolder_isListedOnce_andItsEntriesAttributesComputedOnce() throws IOException {
        mount(ViewContext.GROUP_ABOVE);
        ViewNode folder = at("snapshots/" + sourceName + "/2026-01-10T08-00-00");
        List<DirEntry> first = folder.list();
        assertThat(first).extracting(DirEntry::name).containsExactly("notes.txt", "sub");
        // The second listing (the kernel keeps none for a libfuse 2 mount) is the kept one.
        assertThat(folder.list()).isSameAs(first);
        // The same folder in another snapshot has its own inode numbers, so its own listing.
        ViewNode other = at("snapshots/" + sourceName + "/2026-02-12T10-00-00");
        assertThat(other.list().get(1).attributes().inode()).isNotEqualTo(first.get(1).attributes().inode());
        ViewNode notes = folder.child("notes.txt").orElseThrow();
        assertThat(notes.attributes()).isSameAs(notes.attributes()).isEqualTo(first.get(0).attributes());
        ViewNode sub = folder.child("sub").orElseThrow();
        assertThat(sub.attributes()).isSameAs(sub.attributes()).isEqualTo(first.get(1).attributes());
    }

    @Test
    void topLevelAndSnapshotsByTime() throws IOException {
        mount(500);
        assertThat(names(root)).containsExactly("snapshots", "versions", "hosts", "tags", "ids");
        assertThat(names(at("snapshots"))).containsExactly(sourceName);
        assertThat(sourceName).contains("data-docs@");
        assertThat(names(at("snapshots/" + sourceName)))
                .containsExactly("2026-01-10T08-00-00", "2026-02-11T09-30-15", "2026-02-12T10-00-00", "latest");
        assertThat(new String(at("snapshots/" + sourceName + "/latest").readLink(), StandardCharsets.UTF_8))
                .isEqualTo("2026-02-12T10-00-00");
        ViewNode first = at("snapshots/" + sourceName + "/2026-01-10T08-00-00");
        assertThat(names(first)).containsExactly("notes.txt", "sub");
        assertThat(read(first.child("notes.txt").orElseThrow())).isEqualTo("first".getBytes(StandardCharsets.UTF_8));
        assertThat(read(at("snapshots/" + sourceName + "/2026-02-11T09-30-15/sub/big.bin"))).isEqualTo(random(3 << 20, 1));
    }

    @Test
    void savedMetadataAndStableInodes() throws IOException {
        mount(500);
        ViewNode notes = at("snapshots/" + sourceName + "/2026-01-10T08-00-00/notes.txt");
        assertThat(notes.attributes().type()).isEqualTo(NodeType.FILE);
        assertThat(notes.attributes().size()).isEqualTo(5);
        long inode = notes.attributes().inode();
        ctx.close();
        mount(500);
        assertThat(at("snapshots/" + sourceName + "/2026-01-10T08-00-00/notes.txt").attributes().inode()).isEqualTo(inode);
        assertThatThrownBy(() -> at("snapshots").mkdir("x", 0755, new dev.strata.core.view.Caller(0, 0))).isInstanceOf(ReadOnlyFileSystemException.class);
    }

    @Test
    void manySnapshotsAreGroupedByYearAndMonth() throws IOException {
        mount(2);
        String src = "snapshots/" + sourceName;
        assertThat(names(at(src))).containsExactly("2026", "latest");
        assertThat(names(at(src + "/2026"))).containsExactly("2026-01", "2026-02");
        assertThat(names(at(src + "/2026/2026-02"))).containsExactly("2026-02-11T09-30-15", "2026-02-12T10-00-00");
        assertThat(new String(at(src + "/latest").readLink(), StandardCharsets.UTF_8))
                .isEqualTo("2026/2026-02/2026-02-12T10-00-00");
        assertThat(names(at(src + "/2026/2026-01/2026-01-10T08-00-00"))).containsExactly("notes.txt", "sub");
    }

    @Test
    void versionsShowEachDistinctContentOnce() throws IOException {
        mount(500);
        String v = "versions/" + sourceName;
        assertThat(names(at(v))).containsExactly("notes.txt", "sub");
        assertThat(names(at(v + "/notes.txt"))).containsExactly("2026-01-10T08-00-00.txt", "2026-02-11T09-30-15.txt");
        assertThat(read(at(v + "/notes.txt/2026-02-11T09-30-15.txt"))).isEqualTo("second".getBytes(StandardCharsets.UTF_8));
        // Never changed: one version.
        assertThat(names(at(v + "/sub/big.bin"))).containsExactly("2026-01-10T08-00-00.bin");
    }

    @Test
    void indexLinksPointIntoSnapshots() throws IOException {
        mount(500);
        assertThat(names(at("tags"))).containsExactly("daily", "weekly");
        assertThat(new String(at("tags/weekly/" + sourceName + "/2026-02-12T10-00-00").readLink(), StandardCharsets.UTF_8))
                .isEqualTo("../../../snapshots/" + sourceName + "/2026-02-12T10-00-00");
        String host = names(at("hosts")).get(0);
        assertThat(new String(at("hosts/" + host + "/" + sourceName).readLink(), StandardCharsets.UTF_8))
                .isEqualTo("../../snapshots/" + sourceName);
        List<String> ids = names(at("ids"));
        assertThat(ids).hasSize(3).allMatch(id -> id.length() == 8);
        assertThat(new String(at("ids/" + ids.get(0)).readLink(), StandardCharsets.UTF_8)).startsWith("../snapshots/" + sourceName + "/2026-");
    }

    @Test
    void aSnapshotMadeWhileMountedAppears() throws IOException {
        mount(500);
        assertThat(names(at("snapshots/" + sourceName))).hasSize(4);
        Files.writeString(source.resolve("notes.txt"), "third");
        backup(Instant.parse("2026-03-01T00:00:00Z"));
        // A lookup of a name it does not know re-reads the snapshot list (at most every 250 ms).
        sleepMillis(300);
        assertThat(read(at("snapshots/" + sourceName + "/2026-03-01T00-00-00/notes.txt"))).isEqualTo("third".getBytes(StandardCharsets.UTF_8));
        assertThat(names(at("versions/" + sourceName + "/notes.txt"))).hasSize(3);
    }
}
