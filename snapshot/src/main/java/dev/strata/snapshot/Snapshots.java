package dev.strata.snapshot;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.index.LmdbTable;
import dev.strata.core.repo.Repository;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The snapshot records of a repository: stored as encrypted blobs, cached decrypted in LMDB so that
 * listing thousands of them reads only the new ones. Thread-safe.
 */
public final class Snapshots {
    private static final byte[] AAD = "strata-snapshot/v1".getBytes(StandardCharsets.US_ASCII);

    /** Far more than any record needs (a backup of 100,000 named paths takes a few MiB). */
    static final long MAX_RECORD_BYTES = 64L << 20;

    private final Backend backend;
    private final Aes256GcmCipher cipher;
    private final LmdbTable cache;
    private final CachedSnapshots.Prefetch prefetched;

    public Snapshots(Repository repo) {
        this(repo, null);
    }

    /**
     * As {@link #Snapshots(Repository)}, with the cached records a warm-up read while the repository
     * opened ({@link CachedSnapshots#prefetch()}); null to read them when listing.
     */
    public Snapshots(Repository repo, CachedSnapshots.Prefetch prefetched) {
        this.backend = repo.backend();
        this.cipher = repo.key().metadataCipher();
        this.cache = repo.lmdb().openTable(CachedSnapshots.TABLE);
        this.prefetched = prefetched;
    }

    /**
     * Stores a snapshot record. Callers make sure everything it refers to is durable and indexed
     * first (ChunkStore.flush): the record is the last thing written.
     */
    public Snapshot save(Snapshot s) throws IOException {
        byte[] json = SnapshotCodec.encode(s.withId(null));
        byte[] envelope = cipher.seal(json, AAD);
        SnapshotId id = SnapshotId.ofRecord(envelope);
        backend.put(BlobName.of(BlobType.SNAPSHOT, id.toString()), envelope);
        cache.put(id.bytes(), json);
        return s.withId(id);
    }

    /**
     * Every snapshot, oldest first. Damaged records are reported through {@code damaged}. The listing of
     * the repository decides what is shown: a record the cache holds is taken from it (its id is the hash
     * of the stored record), one it lacks is read, checked and added to it, and what the cache holds
     * beyond the listing (forgotten since) is dropped. The cache is read in one transaction and written
     * in one more at most.
     */
    public List<Snapshot> list(List<String> damaged) throws IOException {
        List<BlobInfo> listed = backend.list(BlobType.SNAPSHOT);
        CachedSnapshots cached = prefetched == null ? null : prefetched.take();
        if (cached == null) {
            cached = CachedSnapshots.read(cache);
        }
        Set<SnapshotId> present = new HashSet<>();
        Map<byte[], byte[]> read = new LinkedHashMap<>();
        List<Snapshot> out = new ArrayList<>();
        try {
            for (BlobInfo info : listed) {
                SnapshotId id = SnapshotId.parse(info.name().name());
                present.add(id);
                try {
                    Snapshot s = cached.get(id);
                    if (s == null) {
                        byte[] json = fetch(id, info.size());
                        read.put(id.bytes(), json);
                        s = SnapshotCodec.decode(json, id);
                    }
                    out.add(s);
                } catch (CorruptDataException e) {
                    damaged.add(e.getMessage());
                } catch (NoSuchFileException forgottenMeanwhile) {
                    // removed by a concurrent forget
                }
            }
        } finally {
            cache.putAll(read);
        }
        cache.deleteAll(cached.absentFrom(present));
        out.sort(Comparator.comparing(Snapshot::time).thenComparing(s -> s.id().toString()));
        return out;
    }

    /** Every snapshot, oldest first; fails on a damaged record. */
    public List<Snapshot> list() throws IOException {
        List<String> damaged = new ArrayList<>();
        List<Snapshot> all = list(damaged);
        if (!damaged.isEmpty()) {
            throw new CorruptDataException(damaged.get(0));
        }
        return all;
    }

    public Snapshot load(SnapshotId id) throws IOException {
        return load(id, -1);
    }

    /**
     * As {@link #load(SnapshotId)}, with the record's size when a listing gave it ({@code -1} when not):
     * then the size is not asked for again, a request each in object storage.
     */
    private Snapshot load(SnapshotId id, long listedSize) throws IOException {
        byte[] json = cache.get(id.bytes());
        if (json == null) {
            try {
                json = fetch(id, listedSize);
            } catch (NoSuchFileException e) {
                throw new UserFacingException(ExitCode.NOT_FOUND, "snapshot " + id.shortString() + " does not exist");
            }
            cache.put(id.bytes(), json);
        }
        return SnapshotCodec.decode(json, id);
    }

    /**
     * Reads a record from the repository and checks it against its name; returns its JSON. A record that
     * is not there (forgotten since it was listed) is a {@link NoSuchFileException}.
     */
    private byte[] fetch(SnapshotId id, long listedSize) throws IOException {
        BlobName name = BlobName.of(BlobType.SNAPSHOT, id.toString());
        long size = listedSize >= 0 ? listedSize : backend.size(name);
        if (size > MAX_RECORD_BYTES) {
            throw new CorruptDataException("snapshot " + id + " is " + size + " bytes long; a record has at most "
                    + MAX_RECORD_BYTES + " (damaged or not a snapshot record)");
        }
        byte[] envelope = backend.get(name);
        if (!SnapshotId.ofRecord(envelope).equals(id)) {
            throw new CorruptDataException("snapshot " + id + " does not match its name (damaged record)");
        }
        try {
            return cipher.open(envelope, AAD);
        } catch (AEADBadTagException e) {
            throw new CorruptDataException("snapshot " + id + " fails authentication", e);
        }
    }

    /** Removes a snapshot record (its data stays until prune). */
    public void delete(SnapshotId id) throws IOException {
        backend.delete(BlobName.of(BlobType.SNAPSHOT, id.toString()));
        cache.delete(id.bytes());
    }
}
