package dev.strata.core.repo;

import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.RepositoryLockedException;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepositoryLockTest {
    private static final HostIdentity ME = HostIdentity.current();

    @TempDir
    Path dir;

    private TestRepositories.Fixture fixture;
    private final List<Repository> opened = new ArrayList<>();
    private int cacheCounter;

    @BeforeEach
    void init() throws IOException {
        fixture = TestRepositories.local(dir).init();
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Repository r : opened) {
            r.close();
        }
    }

    private Repository open(LockMode mode) throws IOException {
        return openAt(mode, Instant.now());
    }

    /**
     * Opens with a cache folder of its own, as another process or machine would have: LMDB forbids
     * opening one environment twice in a process, and these tests hold several handles at once.
     */
    private Repository openAt(LockMode mode, Instant now) throws IOException {
        OpenOptions options = OpenOptions.of(dir.resolve("cache-" + cacheCounter++), mode).withKdf(TestRepositories.CHEAP_KDF);
        Repository r = Repository.open(fixture.backend(), fixture.password().toCharArray(), options,
                Clock.fixed(now, ZoneOffset.UTC), ME);
        opened.add(r);
        return r;
    }

    private List<BlobInfo> locks() throws IOException {
        return fixture.backend().list(BlobType.LOCK);
    }

    /** Leaves a lock blob behind as a process that crashed while holding it would. */
    private void plantLock(LockMode mode, HostIdentity holder, Instant at) throws IOException {
        try (Repository repo = fixture.open(null)) {
            List<BlobInfo> before = locks();
            RepositoryLock lock = RepositoryLock.acquire(repo.backend(), repo.key(), mode, holder, Clock.fixed(at, ZoneOffset.UTC));
            BlobInfo mine = locks().stream().filter(l -> !before.contains(l)).findFirst().orElseThrow();
            byte[] blob = repo.backend().get(mine.name());
            lock.close();
            repo.backend().put(mine.name(), blob);
        }
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("/bin/true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false));
        return p.pid();
    }

    @Test
    void twoWriteLocks_conflict_andTheErrorNamesTheHolder() throws IOException {
        open(LockMode.WRITE);

        RepositoryLockedException e = assertThrows(RepositoryLockedException.class, () -> open(LockMode.WRITE));

        assertEquals(ExitCode.LOCKED, e.exitCode());
        assertTrue(e.getMessage().contains("pid " + ME.pid()), e.getMessage());
        assertTrue(e.getMessage().contains(ME.host()), e.getMessage());
        assertTrue(e.getMessage().contains("write lock"), e.getMessage());
        assertEquals(1, locks().size(), "the refused lock was taken back");
    }

    @Test
    void readAndWrite_coexist() throws IOException {
        open(LockMode.WRITE);
        open(LockMode.READ);
        open(LockMode.READ);
        assertEquals(3, locks().size());
        closeAll();
        opened.clear();

        open(LockMode.READ);
        open(LockMode.WRITE);
        open(LockMode.READ);
        assertEquals(3, locks().size());
    }

    @Test
    void exclusive_conflictsWithEveryOtherLock() throws IOException {
        for (LockMode held : LockMode.values()) {
            Repository holder = open(held);
            assertThrows(RepositoryLockedException.class, () -> open(LockMode.EXCLUSIVE), "exclusive while " + held);
            holder.close();
        }
        open(LockMode.EXCLUSIVE);
        for (LockMode wanted : LockMode.values()) {
            assertThrows(RepositoryLockedException.class, () -> open(wanted), wanted + " while exclusive");
        }
        assertEquals(1, locks().size());
    }

    @Test
    void noLock_takesNoLockAndConflictsWithNothing() throws IOException {
        open(LockMode.EXCLUSIVE);
        open(null);
        assertEquals(1, locks().size());
    }

    @Test
    void lockOfADeadProcessOnThisHost_isStale() throws Exception {
        long dead = deadPid();
        plantLock(LockMode.EXCLUSIVE, new HostIdentity(ME.host(), ME.user(), dead), Instant.now());
        assertEquals(1, locks().size());

        open(LockMode.WRITE);

        assertEquals(2, locks().size(), "a stale lock is ignored, not removed");
    }

    @Test
    void lockOfTheSamePidOnAnotherHost_isNotStale() throws Exception {
        long dead = deadPid();
        plantLock(LockMode.WRITE, new HostIdentity("another-host", "bo", dead), Instant.now());

        RepositoryLockedException e = assertThrows(RepositoryLockedException.class, () -> open(LockMode.WRITE));

        assertTrue(e.getMessage().contains("another-host"), e.getMessage());
        assertTrue(e.getMessage().contains("pid " + dead), e.getMessage());
    }

    @Test
    void lockNotRefreshedForMoreThanHalfAnHour_isStale() throws IOException {
        Instant t0 = TestRepositories.FIXED_INSTANT;
        plantLock(LockMode.WRITE, new HostIdentity("another-host", "bo", 4242), t0);

        Duration justFresh = LockRecord.STALE_AFTER.minusMinutes(1);
        assertThrows(RepositoryLockedException.class, () -> openAt(LockMode.WRITE, t0.plus(justFresh)));
        openAt(LockMode.WRITE, t0.plus(LockRecord.STALE_AFTER).plusSeconds(60));
    }

    @Test
    void damagedLock_blocksWriters_untilRemoved() throws IOException {
        BlobName damaged = BlobName.of(BlobType.LOCK, "0123456789abcdef0123456789abcdef");
        fixture.backend().put(damaged, new byte[] {1, 2, 3});

        RepositoryLockedException e = assertThrows(RepositoryLockedException.class, () -> open(LockMode.READ));

        assertTrue(e.getMessage().contains("damaged lock"), e.getMessage());
        fixture.backend().delete(damaged);
        open(LockMode.READ);
    }

    @Test
    void close_releasesTheLock() throws IOException {
        Repository repo = open(LockMode.EXCLUSIVE);
        assertEquals(1, locks().size());
        repo.close();
        assertEquals(List.of(), locks());
        repo.close();
        open(LockMode.EXCLUSIVE);
    }

    @Test
    void lockModes_conflictAsTheFormatSays() {
        assertFalse(LockMode.READ.conflictsWith(LockMode.READ));
        assertFalse(LockMode.READ.conflictsWith(LockMode.WRITE));
        assertFalse(LockMode.WRITE.conflictsWith(LockMode.READ));
        assertTrue(LockMode.WRITE.conflictsWith(LockMode.WRITE));
        assertFalse(LockMode.APPEND.conflictsWith(LockMode.APPEND));
        assertFalse(LockMode.APPEND.conflictsWith(LockMode.WRITE));
        assertFalse(LockMode.WRITE.conflictsWith(LockMode.APPEND));
        assertFalse(LockMode.APPEND.conflictsWith(LockMode.READ));
        for (LockMode m : LockMode.values()) {
            assertTrue(LockMode.EXCLUSIVE.conflictsWith(m));
            assertTrue(m.conflictsWith(LockMode.EXCLUSIVE));
        }
        // Prune deletes beside readers and appenders (two phases), not under a check or a write lock.
        assertFalse(LockMode.PRUNE.conflictsWith(LockMode.READ));
        assertFalse(LockMode.PRUNE.conflictsWith(LockMode.APPEND));
        assertFalse(LockMode.APPEND.conflictsWith(LockMode.PRUNE));
        assertTrue(LockMode.PRUNE.conflictsWith(LockMode.PRUNE));
        assertTrue(LockMode.PRUNE.conflictsWith(LockMode.VERIFY));
        assertTrue(LockMode.VERIFY.conflictsWith(LockMode.PRUNE));
        assertTrue(LockMode.PRUNE.conflictsWith(LockMode.WRITE));
        assertTrue(LockMode.WRITE.conflictsWith(LockMode.PRUNE));
        assertFalse(LockMode.VERIFY.conflictsWith(LockMode.VERIFY));
        assertFalse(LockMode.VERIFY.conflictsWith(LockMode.APPEND));
        assertFalse(LockMode.VERIFY.conflictsWith(LockMode.WRITE));
    }

    @Test
    void pruneRunsBesideAMountAndABackup_butNotBesideACheck() throws IOException {
        open(LockMode.READ);
        open(LockMode.APPEND);
        Repository prune = open(LockMode.PRUNE);
        assertThrows(RepositoryLockedException.class, () -> open(LockMode.VERIFY));
        assertThrows(RepositoryLockedException.class, () -> open(LockMode.PRUNE));
        prune.close();
        open(LockMode.VERIFY);
    }

    @Test
    void aWriterSaysInItsLockWhichCondemnationsItKnows() throws IOException {
        Repository writer = open(LockMode.APPEND);
        Condemnation c = Condemnation.of(java.util.Set.of(dev.strata.core.id.PackId.random()), Instant.now(), "h");
        c.write(fixture.backend(), writer.key());
        assertEquals(java.util.Set.of(c.id()), writer.refreshCondemnations());
        LockRecord seen = RepositoryLock.list(fixture.backend(), writer.key()).stream()
                .filter(h -> h.name().equals(writer.lock().name())).findFirst().orElseThrow().record();
        assertEquals(java.util.Set.of(c.id()), seen.knows());
        // A writer opened after the condemnation knows it from the start.
        Repository later = open(LockMode.APPEND);
        LockRecord laterSeen = RepositoryLock.list(fixture.backend(), later.key()).stream()
                .filter(h -> h.name().equals(later.lock().name())).findFirst().orElseThrow().record();
        assertEquals(java.util.Set.of(c.id()), laterSeen.knows());
        // A reader does not declare anything.
        Repository reader = open(LockMode.READ);
        LockRecord readerSeen = RepositoryLock.list(fixture.backend(), reader.key()).stream()
                .filter(h -> h.name().equals(reader.lock().name())).findFirst().orElseThrow().record();
        assertEquals(java.util.Set.of(), readerSeen.knows());
    }
    /** Backups from several processes or machines add to one repository at once; prune waits for all. */
    @Test
    void appendLocks_coexistWithEachOther_readersAndAWriter_butNotWithExclusive() throws IOException {
        open(LockMode.APPEND);
        open(LockMode.APPEND);
        open(LockMode.READ);
        open(LockMode.WRITE);
        open(LockMode.APPEND);
        assertEquals(5, locks().size());

        RepositoryLockedException e = assertThrows(RepositoryLockedException.class, () -> open(LockMode.EXCLUSIVE));

        // Any of the five may be named first: the listing has no order.
        assertTrue(e.getMessage().matches(".* is in use: (append|read|write) lock of pid " + ME.pid() + " .*"), e.getMessage());
        assertTrue(e.getMessage().contains("--retry-lock"), e.getMessage());
    }

    @Test
    void retry_waitsUntilTheConflictingLockIsReleased() throws Exception {
        Repository holder = open(LockMode.EXCLUSIVE);
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(1500);
                holder.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        release.start();
        long start = System.nanoTime();
        try (Repository r = openWaiting(LockMode.APPEND, Duration.ofSeconds(30))) {
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 1400 && waited < 15_000, "waited " + waited + " ms");
        }
        release.join();
    }

    @Test
    void retry_givesUpAfterTheWait_namingTheHolder() throws Exception {
        open(LockMode.WRITE);
        long start = System.nanoTime();

        RepositoryLockedException e = assertThrows(RepositoryLockedException.class,
                () -> openWaiting(LockMode.WRITE, Duration.ofSeconds(2)));

        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 1900 && waited < 10_000, "waited " + waited + " ms");
        assertTrue(e.getMessage().contains("pid " + ME.pid()), e.getMessage());
        assertTrue(e.getMessage().endsWith("(still locked after waiting PT2S)"), e.getMessage());
        assertEquals(1, locks().size(), "every attempt took its lock back");
    }

    private Repository openWaiting(LockMode mode, Duration wait) throws IOException {
        OpenOptions options = OpenOptions.of(dir.resolve("cache-" + cacheCounter++), mode).withKdf(TestRepositories.CHEAP_KDF)
                .withLockWait(wait);
        return Repository.open(fixture.backend(), fixture.password().toCharArray(), options, Clock.systemUTC(), ME);
    }

    /** A mount never finishes: the message says how to end it instead of "wait for it to finish". */
    @Test
    void lockHeldUntilStopped_saysHowToStopIt() throws IOException {
        OpenOptions mount = OpenOptions.of(dir.resolve("cache-mount"), LockMode.READ).withKdf(TestRepositories.CHEAP_KDF)
                .withLockHolder(LockHolder.untilStopped("strata mount /mnt/h", "strata umount /mnt/h"));
        opened.add(Repository.open(fixture.backend(), fixture.password().toCharArray(), mount, Clock.systemUTC(), ME));

        RepositoryLockedException e = assertThrows(RepositoryLockedException.class, () -> open(LockMode.EXCLUSIVE));

        assertTrue(e.getMessage().contains("read lock of 'strata mount /mnt/h', pid " + ME.pid()), e.getMessage());
        assertTrue(e.getMessage().endsWith("it holds the lock until it is stopped: run 'strata umount /mnt/h' (or kill "
                + ME.pid() + ")"), e.getMessage());
        assertFalse(e.getMessage().contains("wait for it to finish"), e.getMessage());
    }

    /** A killed holder's pid given to a new process: the lock is older than that process, so it is stale. */
    @Test
    void lockOfAPidNowUsedByALaterProcess_isStale() throws Exception {
        Process later = new ProcessBuilder("sleep", "60").start();
        try {
            Instant started = later.info().startInstant().orElseThrow();
            HostIdentity holder = new HostIdentity(ME.host(), ME.user(), later.pid());
            LockRecord before = new LockRecord(LockMode.EXCLUSIVE, ME.host(), later.pid(), ME.user(),
                    started.minusSeconds(600), Instant.now(), LockHolder.UNNAMED);
            LockRecord after = new LockRecord(LockMode.EXCLUSIVE, ME.host(), later.pid(), ME.user(),
                    started.plusSeconds(1), Instant.now(), LockHolder.UNNAMED);

            assertTrue(before.isStale(ME.host(), Instant.now()), "written before its pid's process started");
            assertFalse(after.isStale(ME.host(), Instant.now()), "written by the live process");

            plantLock(LockMode.EXCLUSIVE, holder, started.minusSeconds(600));
            open(LockMode.EXCLUSIVE);
        } finally {
            later.destroyForcibly();
        }
    }
}
