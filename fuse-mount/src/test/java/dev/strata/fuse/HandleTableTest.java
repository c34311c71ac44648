package dev.strata.fuse;

import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import org.junit.jupiter.api.Test;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Handles are unique, found without a path, closed exactly once, and unknown after release. */
class HandleTableTest {
    private static final class CountingFile implements OpenFile {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public int read(long offset, int length, ReadSink sink) {
            return 0;
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void handlesAreUniqueUnderConcurrency() {
        HandleTable table = new HandleTable();
        List<Long> handles = IntStream.range(0, 10_000).parallel().mapToObj(i -> table.add(null, new CountingFile())).toList();
        Set<Long> unique = new HashSet<>(handles);
        assertThat(unique).hasSize(10_000).doesNotContain(0L);
        assertThat(table.size()).isEqualTo(10_000);
    }

    @Test
    void releaseClosesOnceAndForgets() throws Exception {
        HandleTable table = new HandleTable();
        CountingFile f = new CountingFile();
        long fh = table.add(null, f);
        assertThat(table.get(fh)).isSameAs(f);
        table.release(fh);
        table.release(fh);
        assertThat(f.closed.get()).isEqualTo(1);
        assertThatThrownBy(() -> table.get(fh)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> table.get(12345)).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void closeAllClosesEverything() {
        HandleTable table = new HandleTable();
        List<CountingFile> files = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            CountingFile f = new CountingFile();
            files.add(f);
            table.add(null, f);
        }
        table.closeAll();
        assertThat(table.size()).isZero();
        assertThat(files).allMatch(f -> f.closed.get() == 1);
    }
}
