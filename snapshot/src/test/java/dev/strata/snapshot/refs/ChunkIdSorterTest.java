package dev.strata.snapshot.refs;

import dev.strata.core.id.ChunkId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkIdSorterTest {
    @TempDir
    Path dir;

    private static ChunkId id(Random random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        // A few ids differ only late, and some start with bytes above 0x7f: the order is unsigned.
        if (random.nextInt(4) == 0) {
            b[0] = (byte) 0xff;
            b[1] = 0;
        }
        return ChunkId.of(b);
    }

    @Test
    void finish_afterManyRunsWithRepeats_givesEveryIdOnceAscending() throws IOException {
        Random random = new Random(7);
        List<ChunkId> distinct = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            distinct.add(id(random));
        }
        TreeSet<ChunkId> expected = new TreeSet<>(distinct);
        Path folder = Files.createDirectories(dir.resolve("runs"));
        // 9,000 ids through a buffer of 13: some 700 runs, so the runs are merged on the way (fan-in 64).
        try (ChunkIdSorter sorter = new ChunkIdSorter(folder, 13)) {
            for (int i = 0; i < 9000; i++) {
                sorter.add(distinct.get(random.nextInt(distinct.size())));
            }
            for (ChunkId id : distinct) {
                sorter.add(id);
            }
            try (SortedChunkIds sorted = sorter.finish()) {
                assertThat(Files.list(folder).count()).isLessThanOrEqualTo(ChunkIdSorter.MAX_RUNS);
                List<ChunkId> out = new ArrayList<>();
                sorted.forEach(out::add);
                assertThat(out).containsExactlyElementsOf(expected);
            }
        }
        assertThat(folder).doesNotExist();
    }

    @Test
    void cursorContains_askedAscending_answersMembership() throws IOException {
        Random random = new Random(11);
        TreeSet<ChunkId> held = new TreeSet<>();
        TreeSet<ChunkId> asked = new TreeSet<>();
        Path folder = Files.createDirectories(dir.resolve("runs"));
        try (ChunkIdSorter sorter = new ChunkIdSorter(folder, 5)) {
            for (int i = 0; i < 500; i++) {
                ChunkId id = id(random);
                asked.add(id);
                if (random.nextBoolean()) {
                    held.add(id);
                    sorter.add(id);
                }
            }
            try (SortedChunkIds sorted = sorter.finish(); SortedChunkIds.Cursor c = sorted.cursor()) {
                for (ChunkId id : asked) {
                    assertThat(c.contains(id)).as(id.shortString()).isEqualTo(held.contains(id));
                    // Asking again for the same id (the copies of one chunk) gives the same answer.
                    assertThat(c.contains(id)).isEqualTo(held.contains(id));
                }
                assertThat(sorted.containedOf(asked)).isEqualTo(held);
            }
        }
    }

    @Test
    void close_beforeFinish_deletesTheRuns() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("runs"));
        ChunkIdSorter sorter = new ChunkIdSorter(folder, 2);
        Random random = new Random(3);
        for (int i = 0; i < 9; i++) {
            sorter.add(id(random));
        }
        assertThat(Files.list(folder).count()).isPositive();
        sorter.close();
        sorter.close();
        assertThat(folder).doesNotExist();
        assertThatThrownBy(() -> sorter.add(id(random))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void finish_withNoIds_isEmpty() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("runs"));
        try (SortedChunkIds sorted = new ChunkIdSorter(folder).finish(); SortedChunkIds.Cursor c = sorted.cursor()) {
            assertThat(c.next()).isNull();
            assertThat(c.contains(ChunkId.of(new byte[32]))).isFalse();
        }
    }
}
