package dev.strata.volume.state;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.index.LmdbEnvironment;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sync index of a shared volume's state, on a real LMDB environment: every local change leaves its record. */
@Timeout(60)
class SyncIndexTest {
    private static final Duration RARELY = Duration.ofHours(1);
    private static final long ME = 0x1234_5678_9abc_def0L;

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private VolumeState open() throws IOException {
        return VolumeState.open(dir.resolve("lmdb"), Clock.systemUTC(), RARELY, 0, 0);
    }

    private static FileContent content(int fill, int length) {
        byte[] id = new byte[32];
        Arrays.fill(id, (byte) fill);
        return new FileContent.Inline(List.of(ChunkRef.chunk(ChunkId.of(id), length), ChunkRef.hole(8192)));
    }

    private static VersionRecord seal(VolumeState s, long ino, FileContent c, long second) throws IOException {
        Timestamp t = new Timestamp(second, 0);
        return s.recordSeal(ino, c, t, t, new Staging(1, FileContent.EMPTY, 0, List.of(new Extent(0, c.size()))),
                c.size(), null);
    }

    @Test
    void aVolumeNotShared_keepsNoRecords() throws IOException {
        try (VolumeState s = open()) {
            s.create(Inode.ROOT, b("a"), NodeType.FILE, 0644, 0, 0, 0, null);
            assertThat(s.syncDevice()).isZero();
            assertThat(s.syncRecord(b("a"))).isNull();
            assertThat(s.syncSequence()).isZero();
        }
    }

    @Test
    void enabling_indexesWhatIsThere_andSurvivesAReopen() throws IOException {
        long fileIno;
        try (VolumeState s = open()) {
            Inode d = s.create(Inode.ROOT, b("d"), NodeType.DIRECTORY, 0750, 0, 0, 0, null);
            Inode f = s.create(d.ino(), b("f"), NodeType.FILE, 0644, 0, 0, 0, null);
            fileIno = f.ino();
            seal(s, f.ino(), content(1, 100), 50);
            s.create(Inode.ROOT, b("l"), NodeType.SYMLINK, 0777, 0, 0, 0, b("d/f"));
            s.create(Inode.ROOT, b("fifo"), NodeType.FIFO, 0644, 0, 0, 0, null);

            assertThat(s.enableSync(ME)).isTrue();
            assertThat(s.enableSync(ME)).isFalse();
            assertThatThrownBy(() -> s.enableSync(ME + 1)).isInstanceOf(IllegalStateException.class);

            assertThat(s.syncRecordsSince(0, 100)).extracting(SyncRecord::printablePath)
                    .containsExactlyInAnyOrder("d", "d/f", "l");
            SyncRecord file = s.syncRecord(b("d/f"));
            assertThat(file.type()).isEqualTo(NodeType.FILE);
            assertThat(file.content()).isEqualTo(content(1, 100));
            assertThat(file.size()).isEqualTo(100 + 8192);
            assertThat(file.mtime()).isEqualTo(new Timestamp(50, 0));
            assertThat(file.vector().counterOf(ME)).isEqualTo(file.seq());
            assertThat(new String(s.syncRecord(b("l")).target(), StandardCharsets.UTF_8)).isEqualTo("d/f");
            assertThat(s.syncRecord(b("d")).mode()).isEqualTo(0750);
            assertThat(s.syncSequence()).isEqualTo(3);
        }
        try (VolumeState s = open()) {
            assertThat(s.syncDevice()).isEqualTo(ME);
            s.update(fileIno, n -> n.withMode(0600, n.ctime()));
            SyncRecord file = s.syncRecord(b("d/f"));
            assertThat(file.mode()).isEqualTo(0600);
            assertThat(file.seq()).isEqualTo(4);
            assertThat(file.vector().counterOf(ME)).isEqualTo(4);
        }
        // The schema moved to 2: a state with a sync index says so to whoever opens it.
        try (LmdbEnvironment env = LmdbEnvironment.openExclusive(dir.resolve("lmdb"))) {
            assertThat(env.openTable("meta").get(b("schema"))).containsExactly(0, 0, 0, 0, 0, 0, 0, 2);
        }
    }

    @Test
    void everyLocalChange_takesTheNextSequence_andANewerVector() throws IOException {
        try (VolumeState s = open()) {
            s.enableSync(ME);
            Inode d = s.create(Inode.ROOT, b("d"), NodeType.DIRECTORY, 0755, 0, 0, 0, null);
            Inode f = s.create(d.ino(), b("f"), NodeType.FILE, 0644, 0, 0, 0, null);
            SyncRecord created = s.syncRecord(b("d/f"));
            assertThat(created.size()).isZero();

            seal(s, f.ino(), content(2, 10), 60);
            SyncRecord sealed = s.syncRecord(b("d/f"));
            assertThat(sealed.content()).isEqualTo(content(2, 10));
            assertThat(sealed.vector().compare(created.vector())).isEqualTo(VersionVector.Order.AFTER);

            long before = s.syncSequence();
            s.update(f.ino(), n -> n.withMode(n.mode(), n.ctime())); // says nothing new
            assertThat(s.syncSequence()).isEqualTo(before);
            // Names made in a folder move its time, and its record with it.
            SyncRecord folderBefore = s.syncRecord(b("d"));
            s.create(d.ino(), b("h"), NodeType.FILE, 0644, 0, 0, 0, null);
            s.remove(d.ino(), b("h"), false, ino -> false);
            SyncRecord folderAfter = s.syncRecord(b("d"));
            assertThat(folderAfter.mtime()).isEqualTo(s.inode(d.ino()).mtime());
            assertThat(folderAfter.vector().compare(folderBefore.vector())).isEqualTo(VersionVector.Order.AFTER);
            before = s.syncSequence();

            s.update(f.ino(), n -> n.withXattrs(n.xattrsWith("user.k", b("v")), n.ctime()));
            assertThat(s.syncRecord(b("d/f")).xattrs()).extracting(x -> x.name()).containsExactly("user.k");
            assertThat(s.syncSequence()).isEqualTo(before + 1);

            s.remove(d.ino(), b("f"), false, ino -> false);
            SyncRecord gone = s.syncRecord(b("d/f"));
            assertThat(gone.deleted()).isTrue();
            assertThat(gone.seq()).isEqualTo(before + 2);

            // A new file at a deleted path: its vector dominates the tombstone, so peers take it.
            s.create(d.ino(), b("f"), NodeType.FILE, 0644, 0, 0, 0, null);
            SyncRecord again = s.syncRecord(b("d/f"));
            assertThat(again.deleted()).isFalse();
            assertThat(again.vector().compare(gone.vector())).isEqualTo(VersionVector.Order.AFTER);

            // Each path is listed once, under its newest sequence number.
            List<SyncRecord> all = s.syncRecordsSince(0, 100);
            assertThat(all).extracting(SyncRecord::printablePath).containsExactly("d/h", "d/f", "d");
            assertThat(s.syncRecordsSince(all.get(0).seq(), 100)).extracting(SyncRecord::printablePath)
                    .containsExactly("d/f", "d");
            assertThat(s.syncRecordsSince(0, 1)).hasSize(1);
        }
    }

    @Test
    void aRename_isATombstoneAtTheOldPathAndTheSameContentAtTheNew_forEverythingBelowAFolder() throws IOException {
        try (VolumeState s = open()) {
            s.enableSync(ME);
            Inode d = s.create(Inode.ROOT, b("d"), NodeType.DIRECTORY, 0755, 0, 0, 0, null);
            Inode sub = s.create(d.ino(), b("sub"), NodeType.DIRECTORY, 0755, 0, 0, 0, null);
            Inode f = s.create(sub.ino(), b("f"), NodeType.FILE, 0644, 0, 0, 0, null);
            seal(s, f.ino(), content(3, 10), 60);
            Inode other = s.create(Inode.ROOT, b("x"), NodeType.FILE, 0644, 0, 0, 0, null);
            seal(s, other.ino(), content(4, 10), 61);
            SyncRecord replacedRecord = s.syncRecord(b("x"));

            s.rename(Inode.ROOT, b("d"), Inode.ROOT, b("e"), ino -> false);

            assertThat(s.syncRecord(b("d")).deleted()).isTrue();
            assertThat(s.syncRecord(b("d/sub")).deleted()).isTrue();
            assertThat(s.syncRecord(b("d/sub/f")).deleted()).isTrue();
            assertThat(s.syncRecord(b("e")).type()).isEqualTo(NodeType.DIRECTORY);
            assertThat(s.syncRecord(b("e/sub")).type()).isEqualTo(NodeType.DIRECTORY);
            assertThat(s.syncRecord(b("e/sub/f")).content()).isEqualTo(content(3, 10));

            // A rename over an existing file: the moved record is newer than the one it replaces.
            s.rename(sub.ino(), b("f"), Inode.ROOT, b("x"), ino -> false);
            SyncRecord moved = s.syncRecord(b("x"));
            assertThat(moved.content()).isEqualTo(content(3, 10));
            assertThat(moved.vector().compare(replacedRecord.vector())).isEqualTo(VersionVector.Order.AFTER);
            assertThat(s.syncRecord(b("e/sub/f")).deleted()).isTrue();
        }
    }

    @Test
    void hardLinks_shareARandomGroup_andASealThroughOneNameUpdatesEvery() throws IOException {
        try (VolumeState s = open()) {
            s.enableSync(ME);
            Inode f = s.create(Inode.ROOT, b("f"), NodeType.FILE, 0644, 0, 0, 0, null);
            Inode d = s.create(Inode.ROOT, b("d"), NodeType.DIRECTORY, 0755, 0, 0, 0, null);
            assertThat(s.syncRecord(b("f")).group()).isZero();

            s.link(f.ino(), d.ino(), b("g"));
            long group = s.syncRecord(b("f")).group();
            assertThat(group).isNotZero();
            assertThat(s.syncRecord(b("d/g")).group()).isEqualTo(group);

            seal(s, f.ino(), content(5, 10), 70);
            assertThat(s.syncRecord(b("f")).content()).isEqualTo(content(5, 10));
            assertThat(s.syncRecord(b("d/g")).content()).isEqualTo(content(5, 10));

            s.remove(Inode.ROOT, b("f"), false, ino -> false);
            assertThat(s.syncRecord(b("f")).deleted()).isTrue();
            s.update(f.ino(), n -> n.withMode(0600, n.ctime()));
            assertThat(s.syncRecord(b("d/g")).mode()).isEqualTo(0600);
            assertThat(s.syncRecord(b("f")).deleted()).isTrue();
        }
    }

    @Test
    void aFileWithUnsealedChanges_keepsTheRecordOfItsLastVersion() throws IOException, CorruptDataException {
        try (VolumeState s = open()) {
            s.enableSync(ME);
            Inode f = s.create(Inode.ROOT, b("f"), NodeType.FILE, 0644, 0, 0, 0, null);
            seal(s, f.ino(), content(6, 10), 80);
            SyncRecord sealed = s.syncRecord(b("f"));
            // An fsync stages written bytes: the size and time move, the content is not yet a version.
            s.update(f.ino(), n -> n.staged(99_999, new Staging(2, n.content(), n.size(), List.of(new Extent(0, 5))),
                    new Timestamp(90, 0)));
            assertThat(s.syncRecord(b("f"))).isEqualTo(sealed);
        }
    }

    /** A peer's record of a folder that holds names here: its metadata is applied, the folder and its names stay. */
    @Test
    void aPeersFolderRecord_setsTheTimeOfAFolderThatHoldsNames() throws IOException {
        try (VolumeState s = open()) {
            s.enableSync(ME);
            Inode d = s.create(Inode.ROOT, b("d"), NodeType.DIRECTORY, 0755, 0, 0, 0, null);
            s.create(d.ino(), b("f"), NodeType.FILE, 0644, 0, 0, 0, null);
            SyncRecord here = s.syncRecord(b("d"));
            long peer = 77;
            SyncRecord theirs = new SyncRecord(b("d"), false, NodeType.DIRECTORY, 0700, 0, 0, new Timestamp(1234, 5), 0,
                    FileContent.EMPTY, new byte[0], List.of(), 0, peer, here.vector().bump(peer, 1), 9);

            assertThat(s.syncApply(theirs, false, false, null, b("peer"), 9, OpenFiles.NONE))
                    .isEqualTo(VolumeState.Applied.APPLIED);

            Inode after = s.inode(d.ino());
            assertThat(after.mtime()).isEqualTo(new Timestamp(1234, 5));
            assertThat(after.mode()).isEqualTo(0700);
            assertThat(s.lookup(d.ino(), b("f"))).isPresent();
            assertThat(s.syncRecord(b("d")).vector()).isEqualTo(theirs.vector());
            assertThat(s.syncPeerSequence(b("peer"))).isEqualTo(9);
        }
    }

    /** A file with unsealed changes renamed over another: the new path's record is the moved file's last version. */
    @Test
    void aFileWithUnsealedChanges_renamedOverAnother_takesItsOwnRecordAlong() throws IOException {
        try (VolumeState s = open()) {
            s.enableSync(ME);
            Inode f = s.create(Inode.ROOT, b("f"), NodeType.FILE, 0644, 0, 0, 0, null);
            seal(s, f.ino(), content(1, 10), 80);
            Inode g = s.create(Inode.ROOT, b("g"), NodeType.FILE, 0644, 0, 0, 0, null);
            seal(s, g.ino(), content(2, 20), 81);
            s.update(f.ino(), n -> n.staged(99_999, new Staging(2, n.content(), n.size(), List.of(new Extent(0, 5))),
                    new Timestamp(90, 0)));

            s.rename(Inode.ROOT, b("f"), Inode.ROOT, b("g"), ino -> false);

            SyncRecord moved = s.syncRecord(b("g"));
            assertThat(moved.content()).isEqualTo(content(1, 10));
            assertThat(moved.mtime()).isEqualTo(new Timestamp(80, 0));
            assertThat(s.syncRecord(b("f")).deleted()).isTrue();
        }
    }

    /** A peer's record that carries a conflict's lost content: it becomes a version of the path, once. */
    @Test
    void aConflictCopyInAPeersRecord_isAVersionOfThePath() throws IOException {
        try (VolumeState s = open()) {
            s.enableSync(ME);
            Inode f = s.create(Inode.ROOT, b("f"), NodeType.FILE, 0644, 0, 0, 0, null);
            seal(s, f.ino(), content(1, 10), 80);
            SyncRecord here = s.syncRecord(b("f"));
            long peer = 77;
            SyncRecord theirs = here.madeBy(peer, here.vector().bump(peer, 1), 3).withContent(content(2, 10))
                    .withCopies(List.of(new SyncRecord.ConflictCopy(content(3, 10), 10 + 8192, new Timestamp(85, 0), 0644, 55)));

            s.syncApply(theirs, false, false, null, b("peer"), 3, OpenFiles.NONE);
            s.syncApply(theirs, false, false, null, b("peer"), 3, OpenFiles.NONE);

            assertThat(s.versions(b("f"))).extracting(VersionRecord::content)
                    .containsExactly(content(1, 10), content(2, 10), content(3, 10));
        }
    }
    /** What a peer holds: its newest record of each path, listed folder by folder; a tombstone removes it. */
    @Test
    void aPeersRecords_areKeptByFolder_untilTheirTombstones_andARestartDropsThem() throws IOException {
        try (VolumeState s = open()) {
            s.enableSync(ME);
            Inode d = s.create(Inode.ROOT, b("d"), NodeType.DIRECTORY, 0750, 0, 0, 0, null);
            Inode f = s.create(d.ino(), b("f"), NodeType.FILE, 0644, 0, 0, 0, null);
            seal(s, f.ino(), content(1, 10), 80);
            Inode g = s.create(Inode.ROOT, b("g"), NodeType.FILE, 0644, 0, 0, 0, null);
            seal(s, g.ino(), content(2, 10), 81);
            SyncRecord rd = s.syncRecord(b("d"));
            SyncRecord rf = s.syncRecord(b("d/f"));
            SyncRecord rg = s.syncRecord(b("g"));
            byte[] peerId = b("a peer's device id, 32 bytes long");
            long peer = 77;

            assertThat(s.syncPeerViewFilled(peerId)).isEqualTo(-1);
            s.syncPeerViewFilled(peerId, 5);
            assertThat(s.syncPeerViewFilled(peerId)).as("kept only after a restart from 0").isEqualTo(-1);
            s.syncPeerViewRestart(peerId, peer);
            assertThat(s.syncPeerViewFilled(peerId)).isZero();
            s.syncPeerViewFilled(peerId, 5);
            s.syncPeerViewFilled(peerId, 3);
            assertThat(s.syncPeerViewFilled(peerId)).isEqualTo(5);
            s.syncPeerRecords(peer, List.of(rd, rf, rg.withCopies(List.of(new SyncRecord.ConflictCopy(content(3, 10),
                    10 + 8192, new Timestamp(85, 0), 0644, 55)))));

            assertThat(s.syncPeerFolder(peer, new byte[0])).extracting(SyncRecord::printablePath).containsExactly("d", "g");
            assertThat(s.syncPeerFolder(peer, b("d"))).extracting(SyncRecord::printablePath).containsExactly("d/f");
            assertThat(s.syncPeerRecord(peer, b("d/f")).content()).isEqualTo(content(1, 10));
            assertThat(s.syncPeerRecord(peer, b("g")).copies()).isEmpty();
            assertThat(s.syncPeerFolder(peer + 1, new byte[0])).isEmpty();

            s.syncPeerRecords(peer, List.of(rf.tombstone(rf.vector().bump(peer, 9), 9)));
            assertThat(s.syncPeerFolder(peer, b("d"))).isEmpty();
            assertThat(s.syncPeerRecord(peer, b("d/f"))).isNull();

            s.syncPeerViewRestart(peerId, peer);
            assertThat(s.syncPeerFolder(peer, new byte[0])).isEmpty();
            assertThat(s.syncPeerViewFilled(peerId)).isZero();
        }
    }
}
