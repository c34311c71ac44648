package dev.strata.snapshot;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.error.WrongPasswordException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.OpenOptions;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local cache of snapshot records, and reading it while the key is derived: what is listed is what
 * the repository holds at that moment, whatever the cache or a read-ahead of it held.
 */
@Timeout(60)
class CachedSnapshotsTest {
    @TempDir
    Path dir;

    @Test
    void warmUp_readsTheCachedRecordsWhileOpening_andTheListingUsesThem() throws IOException {
        TestRepositories.Fixture mine = TestRepositories.local(dir).init();
        Snapshot first;
        try (Repository r = mine.open(LockMode.APPEND)) {
            first = save(r, "2026-01-01T00:00:00Z");
        }
        CachedSnapshots.Prefetch prefetch = CachedSnapshots.prefetch();
        try (Repository r = open(mine, prefetch)) {
            CachedSnapshots read = prefetch.take();
            assertThat(read).as("read while opening").isNotNull();
            assertThat(read.get(first.id())).isEqualTo(first);
        }
    }

    @Test
    void listing_showsAnotherClientsNewRecord_andNotOneItForgot_whateverTheCacheHeld() throws IOException {
        TestRepositories.Fixture mine = TestRepositories.local(dir).init();
        TestRepositories.Fixture other = TestRepositories.on(new LocalBackend(dir.resolve("repo")), dir.resolve("cache-other"));
        Snapshot first;
        Snapshot second;
        try (Repository r = mine.open(LockMode.APPEND)) {
            first = save(r, "2026-01-01T00:00:00Z");
            second = save(r, "2026-01-02T00:00:00Z");
            assertThat(new Snapshots(r).list()).containsExactly(first, second);
        }
        Snapshot third;
        try (Repository r = other.open(LockMode.WRITE)) {
            third = save(r, "2026-01-03T00:00:00Z");
            new Snapshots(r).delete(first.id());
        }
        SnapshotId forged = SnapshotId.of(new byte[32]);
        try (Repository r = mine.open(LockMode.READ)) {
            r.lmdb().openTable(CachedSnapshots.TABLE).put(forged.bytes(), SnapshotCodec.encode(first.withId(null)));
        }

        CachedSnapshots.Prefetch prefetch = CachedSnapshots.prefetch();
        try (Repository r = open(mine, prefetch)) {
            assertThat(new Snapshots(r, prefetch).list()).as("the repository's listing decides")
                    .containsExactly(second, third);
            assertThat(cachedIds(r)).as("the forgotten and the forged dropped, the new one kept")
                    .containsExactlyInAnyOrder(second.id(), third.id());
            assertThat(new Snapshots(r, prefetch).list()).as("again, without a read-ahead").containsExactly(second, third);
        }
    }

    @Test
    void aRecordForgottenBetweenTheListingAndItsRead_isPassedOver() throws IOException {
        TestRepositories.Fixture mine = TestRepositories.local(dir).init();
        Snapshot kept;
        Snapshot forgotten;
        try (Repository r = mine.open(LockMode.APPEND)) {
            kept = save(r, "2026-01-01T00:00:00Z");
            forgotten = save(r, "2026-01-02T00:00:00Z");
        }
        Backend local = mine.backend();
        Backend forgetting = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(local, args);
                        if (method.getName().equals("list") && args[0] == BlobType.SNAPSHOT) {
                            local.delete(BlobName.of(BlobType.SNAPSHOT, forgotten.id().toString()));
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (Repository r = TestRepositories.on(forgetting, dir.resolve("cache-cold")).open(LockMode.READ)) {
            List<String> damaged = new java.util.ArrayList<>();

            assertThat(new Snapshots(r).list(damaged)).containsExactly(kept);

            assertThat(damaged).isEmpty();
        }
    }

    @Test
    void wrongPassword_withAWarmUp_isRefused_andLeavesTheCacheAsFound() throws IOException {
        TestRepositories.Fixture mine = TestRepositories.local(dir).init();
        try (Repository r = mine.open(LockMode.APPEND)) {
            save(r, "2026-01-01T00:00:00Z");
        }
        try (Repository r = mine.open(LockMode.READ)) {
            new Snapshots(r).list();
        }
        Map<String, String> before = files(mine.cacheRoot());

        OpenOptions options = mine.openOptions(LockMode.READ).withoutIndexSync().withCacheWarmUp(CachedSnapshots.prefetch());
        assertThatThrownBy(() -> Repository.open(mine.backend(), "wrong".toCharArray(), options, mine.clock(),
                mine.host())).isInstanceOf(WrongPasswordException.class);

        assertThat(files(mine.cacheRoot())).isEqualTo(before);
        try (Repository r = mine.open(LockMode.READ)) {
            assertThat(new Snapshots(r).list()).hasSize(1);
        }
    }

    private static Repository open(TestRepositories.Fixture f, CachedSnapshots.Prefetch prefetch) throws IOException {
        return Repository.open(f.backend(), f.password().toCharArray(),
                f.openOptions(LockMode.READ).withoutIndexSync().withCacheWarmUp(prefetch), f.clock(), f.host());
    }

    private static Snapshot save(Repository r, String time) throws IOException {
        Instant t = Instant.parse(time);
        return new Snapshots(r).save(new Snapshot(null, SnapshotKind.BACKUP, t, "h", "u", 0, 0, List.of("/data"),
                List.of(), null, ChunkId.of(new byte[32]), List.of(), new SnapshotSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, t, t), null, null));
    }

    private static List<SnapshotId> cachedIds(Repository r) {
        List<SnapshotId> out = new java.util.ArrayList<>();
        r.lmdb().openTable(CachedSnapshots.TABLE).forEach((k, v) -> out.add(SnapshotId.of(k)));
        return out;
    }

    /**
     * Every file under {@code root} with its size and modification time, but LMDB's lock file: that is
     * the shared memory in which readers of the environment register, touched by any read of it.
     */
    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().equals("lock.mdb")) {
                    continue;
                }
                out.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return out;
    }
}
