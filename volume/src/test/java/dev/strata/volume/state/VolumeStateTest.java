package dev.strata.volume.state;

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

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The volume's state on a real LMDB environment. */
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
}
