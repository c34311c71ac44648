package dev.strata.core.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordSorterTest {
    @TempDir
    Path dir;

    @Test
    void finish_afterManyRunsWithRepeats_givesEveryRecordOnceInUnsignedOrder() throws IOException {
        Random random = new Random(3);
        List<byte[]> distinct = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            byte[] r = new byte[9];
            random.nextBytes(r);
            if (i % 3 == 0) {
                // Records that differ only in their last bytes, some with a first byte above 0x7f.
                r[0] = (byte) 0x90;
                Arrays.fill(r, 1, 7, (byte) 0);
            }
            distinct.add(r);
        }
        TreeSet<byte[]> expected = new TreeSet<>(Arrays::compareUnsigned);
        expected.addAll(distinct);
        Path folder = Files.createDirectories(dir.resolve("runs"));
        // 8,000 records through a buffer of 11: more than 64 runs, so they are merged on the way.
        try (RecordSorter sorter = new RecordSorter(folder, 9, 11)) {
            for (int i = 0; i < 6000; i++) {
                sorter.add(distinct.get(random.nextInt(distinct.size())).clone());
            }
            for (byte[] r : distinct) {
                sorter.add(r.clone());
            }
            try (SortedRecords sorted = sorter.finish()) {
                assertThat(Files.list(folder).count()).isLessThanOrEqualTo(RecordSorter.MAX_RUNS);
                List<byte[]> out = new ArrayList<>();
                sorted.forEach(out::add);
                assertThat(out).containsExactlyElementsOf(expected);
            }
        }
        assertThat(folder).doesNotExist();
    }

    @Test
    void recordsShorterThanTheSortPrefix_sortByAllTheirBytes() throws IOException {
        List<byte[]> expected = new ArrayList<>();
        try (RecordSorter sorter = new RecordSorter(Files.createDirectories(dir.resolve("runs")), 2, 1000)) {
            for (int v = 0xFFFF; v >= 0; v -= 7) {
                sorter.add(new byte[] {(byte) (v >> 8), (byte) v});
                expected.add(0, new byte[] {(byte) (v >> 8), (byte) v});
            }
            try (SortedRecords sorted = sorter.finish()) {
                List<byte[]> out = new ArrayList<>();
                sorted.forEach(out::add);
                assertThat(out).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void add_ofARecordOfAnotherLength_isRefused() throws IOException {
        try (RecordSorter sorter = new RecordSorter(Files.createDirectories(dir.resolve("runs")), 4, 8)) {
            assertThatThrownBy(() -> sorter.add(new byte[5])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("4 bytes");
        }
    }
}
