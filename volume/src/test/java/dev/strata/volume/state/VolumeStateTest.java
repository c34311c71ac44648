package dev.strata.volume.state;

import dev.strata.core.testing.FullFilesystem;
import dev.strata.core.tree.NodeType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The volume's state on a real LMDB environment: reads answered from memory agree with it. */
@Timeout(60)
class VolumeStateTest {
    private static final Duration RARELY = Duration.ofHours(1);

    @TempDir
    Path dir;

    private static byte[] name(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The mount maps these to ENOENT and ENOTDIR; wrapped in an unchecked exception they would be EIO. */
    @Test
    void reads_ofWhatIsNotThere_failWithTheirOwnError() throws IOException {
        try (VolumeState s = VolumeState.open(dir.resolve("lmdb"), Clock.systemUTC(), RARELY, 0, 0)) {
            Inode a = s.create(Inode.ROOT, name("a"), NodeType.FILE, 0644, 0, 0, 0, null);
            assertThatThrownBy(() -> s.list(a.ino())).isInstanceOf(NotDirectoryException.class);
            s.remove(Inode.ROOT, name("a"), false, ino -> false);
            assertThatThrownBy(() -> s.inode(a.ino())).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> s.path(a.ino())).isInstanceOf(NoSuchFileException.class);
        }
    }

    @Test
    void lookups_followCreationRenameAndRemoval_ofANameFirstFoundAbsent() throws IOException {
        try (VolumeState s = VolumeState.open(dir.resolve("lmdb"), Clock.systemUTC(), RARELY, 0, 0)) {
            assertThat(s.lookup(Inode.ROOT, name("a"))).isEmpty();
            Inode a = s.create(Inode.ROOT, name("a"), NodeType.FILE, 0644, 0, 0, 0, null);
            assertThat(s.lookup(Inode.ROOT, name("a"))).map(Inode::ino).contains(a.ino());

            Inode dir = s.create(Inode.ROOT, name("d"), NodeType.DIRECTORY, 0755, 0, 0, 0, null);
            assertThat(s.lookup(dir.ino(), name("b"))).isEmpty();
            s.rename(Inode.ROOT, name("a"), dir.ino(), name("b"), ino -> false);
            assertThat(s.lookup(Inode.ROOT, name("a"))).isEmpty();
            assertThat(s.lookup(dir.ino(), name("b"))).map(Inode::ino).contains(a.ino());
            assertThat(s.inode(a.ino()).parent()).isEqualTo(dir.ino());
            assertThat(s.inode(dir.ino()).mtime()).isNotNull();

            s.update(a.ino(), n -> n.withMode(0600, n.ctime()));
            assertThat(s.inode(a.ino()).mode()).isEqualTo(0600);

            s.remove(dir.ino(), name("b"), false, ino -> false);
            assertThat(s.lookup(dir.ino(), name("b"))).isEmpty();
            assertThatThrownBy(() -> s.inode(a.ino())).isInstanceOf(NoSuchFileException.class);
        }
    }

    @Test
    void aStepThatFails_changesNothingThatReadsSee() throws IOException {
        try (VolumeState s = VolumeState.open(dir.resolve("lmdb"), Clock.systemUTC(), RARELY, 0, 0)) {
            Inode a = s.create(Inode.ROOT, name("a"), NodeType.FILE, 0644, 0, 0, 0, null);
            assertThatThrownBy(() -> s.update(a.ino(), n -> {
                throw new IllegalStateException("refused");
            })).hasMessageContaining("refused");
            assertThatThrownBy(() -> s.create(Inode.ROOT, name("a"), NodeType.FILE, 0600, 0, 0, 0, null))
                    .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
            assertThat(s.inode(a.ino()).mode()).isEqualTo(0644);
            assertThat(s.inode(Inode.ROOT).nlink()).isEqualTo(2);
        }
    }

    /**
     * A commit that fails (a full disk, the reserve used up) loses the changes since the one before;
     * reads that would be answered from memory fail from then on, as every step does, rather than show
     * what is lost.
     */
    @Test
    void afterACommitFailed_readsFail_ratherThanShowWhatIsLost() throws Exception {
        try (FullFilesystem disk = FullFilesystem.mount(dir.resolve("disk"), "32m");
             VolumeState s = VolumeState.open(disk.root().resolve("lmdb"), Clock.systemUTC(), RARELY, 0, 0)) {
            Inode a = s.create(Inode.ROOT, name("a"), NodeType.FILE, 0644, 0, 0, 0, null);
            s.commit();
            disk.fill();
            byte[] big = new byte[60_000];
            // Far more than the reserve the state keeps for its commits: this commit cannot succeed.
            for (int i = 0; i < 400; i++) {
                Inode n = s.create(Inode.ROOT, name("f" + i), NodeType.FILE, 0644, 0, 0, 0, null);
                s.update(n.ino(), r -> r.withXattrs(r.xattrsWith("user.big", big), r.ctime()));
            }
            s.update(a.ino(), n -> n.withMode(0600, n.ctime()));
            assertThat(s.inode(a.ino()).mode()).isEqualTo(0600);
            assertThatThrownBy(s::commit).isInstanceOf(IOException.class);

            assertThatThrownBy(() -> s.inode(a.ino())).isInstanceOf(IOException.class)
                    .hasMessageContaining("lost");
            assertThatThrownBy(() -> s.lookup(Inode.ROOT, name("a"))).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> s.lookup(Inode.ROOT, name("f1"))).isInstanceOf(IOException.class);
        }
    }

    @Test
    void overlayNumbers_neverRepeat_acrossAReopen() throws IOException {
        long last;
        try (VolumeState s = VolumeState.open(dir.resolve("lmdb"), Clock.systemUTC(), RARELY, 0, 0)) {
            long first = s.nextOverlay();
            last = s.nextOverlay();
            assertThat(last).isGreaterThan(first);
        }
        try (VolumeState s = VolumeState.open(dir.resolve("lmdb"), Clock.systemUTC(), RARELY, 0, 0)) {
            assertThat(s.nextOverlay()).isGreaterThan(last);
        }
    }

    /** The version a seal records names the file as it is when recorded: its path and mode then, a new number. */
    @Test
    void aSealedVersion_takesThePathAndModeOfTheFileThen() throws IOException {
        try (VolumeState s = VolumeState.open(dir.resolve("lmdb"), Clock.systemUTC(), RARELY, 0, 0)) {
            Inode d = s.create(Inode.ROOT, name("d"), NodeType.DIRECTORY, 0755, 0, 0, 0, null);
            Inode a = s.create(Inode.ROOT, name("a"), NodeType.FILE, 0644, 0, 0, 0, null);
            s.rename(Inode.ROOT, name("a"), d.ino(), name("b"), ino -> false);
            s.update(a.ino(), n -> n.withMode(0600, n.ctime()));
            long before = s.nextSeq();
            Staging staging = new Staging(7, a.content(), 0, java.util.List.of(new Extent(0, 5)));
            dev.strata.core.tree.Timestamp saved = new dev.strata.core.tree.Timestamp(100, 0);

            VersionRecord v = s.recordSeal(a.ino(), a.content(), saved, saved, staging, 5, null);

            assertThat(new String(v.path(), StandardCharsets.UTF_8)).isEqualTo("d/b");
            assertThat(v.mode()).isEqualTo(0600);
            assertThat(v.seq()).isGreaterThan(before);
            assertThat(s.versions(name("d/b"))).extracting(VersionRecord::seq).containsExactly(v.seq());
            assertThat(s.seals()).singleElement().satisfies(seal -> {
                assertThat(seal.seq()).isEqualTo(v.seq());
                assertThat(seal.overlay()).isEqualTo(7);
                assertThat(seal.versionKey()).isEqualTo(v.key());
            });
        }
    }
}
