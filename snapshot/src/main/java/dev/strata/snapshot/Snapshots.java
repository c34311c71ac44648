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
import java.util.List;
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

    public Snapshots(Repository repo) {
        this.backend = repo.backend();
        this.cipher = repo.key().metadataCipher();
        this.cache = repo.lmdb().openTable("snapshots");
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

    /** Every snapshot, oldest first. Damaged records are reported through {@code damaged}. */
    public List<Snapshot> list(List<String> damaged) throws IOException {
        List<BlobInfo> listed = backend.list(BlobType.SNAPSHOT);
        Set<String> present = new HashSet<>();
        List<Snapshot> out = new ArrayList<>();
        for (BlobInfo info : listed) {
            SnapshotId id = SnapshotId.parse(info.name().name());
            present.add(id.toString());
            try {
                out.add(load(id, info.size()));
            } catch (CorruptDataException e) {
                damaged.add(e.getMessage());
            } catch (NoSuchFileException forgottenMeanwhile) {
                // removed by a concurrent forget
            }
        }
        List<byte[]> stale = new ArrayList<>();
        cache.forEach((k, v) -> {
            if (!present.contains(dev.strata.core.id.Hex.encode(k))) {
                stale.add(k);
            }
        });
        cache.deleteAll(stale);
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
            byte[] envelope;
            try {
                BlobName name = BlobName.of(BlobType.SNAPSHOT, id.toString());
                long size = listedSize >= 0 ? listedSize : backend.size(name);
                if (size > MAX_RECORD_BYTES) {
                    throw new CorruptDataException("snapshot " + id + " is " + size + " bytes long; a record has at most "
                            + MAX_RECORD_BYTES + " (damaged or not a snapshot record)");
                }
                envelope = backend.get(name);
            } catch (NoSuchFileException e) {
                throw new UserFacingException(ExitCode.NOT_FOUND, "snapshot " + id.shortString() + " does not exist");
            }
            if (!SnapshotId.ofRecord(envelope).equals(id)) {
                throw new CorruptDataException("snapshot " + id + " does not match its name (damaged record)");
            }
            try {
                json = cipher.open(envelope, AAD);
            } catch (AEADBadTagException e) {
                throw new CorruptDataException("snapshot " + id + " fails authentication", e);
            }
            cache.put(id.bytes(), json);
        }
        return SnapshotCodec.decode(json, id);
    }

    /** Removes a snapshot record (its data stays until prune). */
    public void delete(SnapshotId id) throws IOException {
        backend.delete(BlobName.of(BlobType.SNAPSHOT, id.toString()));
        cache.delete(id.bytes());
    }
}
