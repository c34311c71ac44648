package dev.strata.core.index;

import dev.strata.core.testing.FullFilesystem;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static dev.strata.core.index.LmdbEnvironmentTest.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An LMDB session whose environment is on a small disk (a tmpfs the test mounts; needs root) that fills up. */
@Timeout(60)
class LmdbSessionDiskFullTest {
    private static final long RESERVE = 2L << 20;
    /** Commits only when asked, so that the test decides when a commit meets the full disk. */
    private static final Duration RARELY = Duration.ofHours(1);

    @TempDir
    Path dir;

    /** 200 KiB of changes after the disk filled are committed from the reserve, and there after a reopen. */
    @Test
    void commits_afterTheDiskFilled_useTheReserve_andOutliveAReopen() throws Exception {
        try (FullFilesystem disk = FullFilesystem.mount(dir.resolve("disk"), "16m")) {
            Path folder = disk.root().resolve("env");
            try (LmdbEnvironment lmdb = LmdbEnvironment.openExclusive(folder);
                 LmdbSession session = LmdbSession.start(lmdb, RARELY, "test-session", RESERVE)) {
                LmdbTable t = lmdb.openTable("t");
                put(session, t, 0, 10);
                session.commit();
                disk.fill();
                put(session, t, 10, 200);
                session.commit();
            }
            try (LmdbEnvironment lmdb = LmdbEnvironment.openExclusive(folder)) {
                LmdbTable t = lmdb.openTable("t");
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    assertArrayEquals(value(n), lmdb.inRead(tx -> t.get(tx, key("k", n))), "entry " + n);
                }
            }
        }
    }

    /**
     * A commit that fails (no reserve, a full disk) loses the calls since the one before, as LMDB
     * aborts; the session says so at the next call instead of carrying on as if they had happened.
     */
    @Test
    void aCommitThatFails_stopsTheSession_andEveryLaterCallSaysWhy() throws Exception {
        try (FullFilesystem disk = FullFilesystem.mount(dir.resolve("disk"), "16m");
             LmdbEnvironment lmdb = LmdbEnvironment.openExclusive(disk.root().resolve("env"));
             LmdbSession session = LmdbSession.start(lmdb, Duration.ofMillis(50), "test-session")) {
            LmdbTable t = lmdb.openTable("t");
            put(session, t, 0, 10);
            session.commit();
            disk.fill();
            session.call(tx -> {
                for (int i = 10; i < 200; i++) {
                    t.put(tx, key("k", i), value(i));
                }
                return null;
            });
            Thread.sleep(500); // the commit interval passes: a commit on the full disk
            IOException lost = assertThrows(IOException.class, () -> session.read(tx -> t.get(tx, key("k", 100))));
            assertTrue(lost.getMessage().contains("the changes since its last commit are lost"), lost.toString());
            assertThrows(IOException.class, () -> put(session, t, 300, 301));
            assertThrows(IOException.class, session::commit);
        }
    }

    private static void put(LmdbSession session, LmdbTable t, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            int n = i;
            session.call(tx -> {
                t.put(tx, key("k", n), value(n));
                return null;
            });
        }
    }

    private static byte[] value(int i) {
        return RandomData.bytes(i, 1024);
    }
}
