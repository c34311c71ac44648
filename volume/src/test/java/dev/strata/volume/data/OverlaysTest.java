package dev.strata.volume.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class OverlaysTest {
    @TempDir
    Path dir;

    @Test
    void aDeletedOverlay_becomesAnEmptySpare_thatTheNextNewOverlayIs() throws IOException {
        Overlays overlays = new Overlays(dir);
        try (FileChannel ch = overlays.create(1)) {
            ch.write(ByteBuffer.wrap(new byte[]{1, 2, 3}), 1 << 20);
        }
        Object inode = Files.getAttribute(overlays.path(1), "unix:ino");
        overlays.delete(1);

        assertThat(Files.exists(overlays.path(1))).isFalse();
        assertThat(names()).hasSize(1).allMatch(n -> n.startsWith("spare-"));
        assertThat(Files.size(dir.resolve(names().get(0)))).isZero();

        try (FileChannel ch = overlays.create(2)) {
            assertThat(ch.size()).as("a new overlay starts empty").isZero();
        }
        assertThat(Files.getAttribute(overlays.path(2), "unix:ino")).as("the spare's inode").isEqualTo(inode);
        assertThat(names()).containsExactly("2");
    }

    @Test
    void atMostSomeSparesAreKept_theRestAreDeleted() throws IOException {
        Overlays overlays = new Overlays(dir);
        int n = Overlays.SPARES + 10;
        for (long i = 1; i <= n; i++) {
            overlays.create(i).close();
        }
        for (long i = 1; i <= n; i++) {
            overlays.delete(i);
        }
        assertThat(names()).hasSize(Overlays.SPARES).allMatch(name -> name.startsWith("spare-"));
    }

    @Test
    void deleteAllBut_removesSparesWithoutCountingThem_andKeepsWhatItIsTold() throws IOException {
        Overlays overlays = new Overlays(dir);
        for (long i = 1; i <= 4; i++) {
            overlays.create(i).close();
        }
        overlays.delete(1);
        overlays.delete(2);
        assertThat(overlays.deleteAllBut(Set.of(4L))).as("overlay 3 only").isEqualTo(1);
        assertThat(names()).containsExactly("4");
    }

    @Test
    void deleteSpares_leavesTheOverlaysInUse() throws IOException {
        Overlays overlays = new Overlays(dir);
        overlays.create(1).close();
        overlays.create(2).close();
        overlays.delete(1);
        overlays.deleteSpares();
        assertThat(names()).containsExactly("2");
        try (FileChannel ch = overlays.create(3)) {
            assertThat(ch.size()).isZero();
        }
        assertThat(names()).containsExactlyInAnyOrder("2", "3");
    }

    @Test
    void deletingAnOverlayThatIsGone_isNotAnError() throws IOException {
        Overlays overlays = new Overlays(dir);
        overlays.delete(7);
        assertThat(names()).isEmpty();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
