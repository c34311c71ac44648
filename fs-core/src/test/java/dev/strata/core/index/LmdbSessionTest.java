package dev.strata.core.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A session on a real LMDB environment. */
@Timeout(60)
class LmdbSessionTest {
    private static final byte[] COUNTER = {'n'};

    @TempDir
    Path dir;

    @Test
    void aCall_runsOnItsCallersThread() throws Exception {
        try (LmdbEnvironment lmdb = LmdbEnvironment.openExclusive(dir);
             LmdbSession session = LmdbSession.start(lmdb, Duration.ofHours(1), "test-session")) {
            LmdbTable t = lmdb.openTable("t");
            Thread caller = Thread.currentThread();
            Thread inCall = session.call(tx -> {
                t.put(tx, COUNTER, count(1));
                return Thread.currentThread();
            });
            Thread inRead = session.read(tx -> Thread.currentThread());
            assertThat((Object) inCall).isSameAs(caller);
            assertThat((Object) inRead).isSameAs(caller);
        }
    }

    /** Without the lock file's writer mutex any thread may continue the write transaction; with it, only one. */
    @Test
    void anEnvironmentOthersMayOpen_isRefused() throws Exception {
        try (LmdbEnvironment lmdb = LmdbEnvironment.open(dir)) {
            assertThatThrownBy(() -> LmdbSession.start(lmdb, Duration.ofHours(1), "test-session"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exclusive");
        }
    }

    /**
     * Calls from several threads, commits asked for by some of them and timed ones in between: each
     * call is atomic, none is lost, and all of them are there after a reopen.
     */
    @Test
    void callsFromManyThreads_eachAtomic_committedByAnyThread_outliveAReopen() throws Exception {
        int threads = 4;
        int calls = 300;
        try (LmdbEnvironment lmdb = LmdbEnvironment.openExclusive(dir);
             LmdbSession session = LmdbSession.start(lmdb, Duration.ofMillis(5), "test-session")) {
            LmdbTable t = lmdb.openTable("t");
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    int me = i;
                    done.add(pool.submit(() -> {
                        for (int c = 0; c < calls; c++) {
                            session.call(tx -> {
                                byte[] v = t.get(tx, COUNTER);
                                t.put(tx, COUNTER, count((v == null ? 0 : ByteBuffer.wrap(v).getLong()) + 1));
                                return null;
                            });
                            if (c % 50 == me) {
                                session.commit();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            assertThat(ByteBuffer.wrap(session.read(tx -> t.get(tx, COUNTER))).getLong()).isEqualTo(threads * calls);
        }
        try (LmdbEnvironment lmdb = LmdbEnvironment.openExclusive(dir)) {
            LmdbTable t = lmdb.openTable("t");
            assertThat(ByteBuffer.wrap(lmdb.inRead(tx -> t.get(tx, COUNTER))).getLong()).isEqualTo(threads * calls);
        }
    }

    private static byte[] count(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }
}
