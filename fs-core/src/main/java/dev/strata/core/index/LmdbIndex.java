package dev.strata.core.index;

import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackType;
import org.lmdbjava.Cursor;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.PutFlags;
import org.lmdbjava.SeekOp;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The chunk index in LMDB (docs/format.md §9): chunk id → pack and entry, plus the packs it knows.
 * A cache of what the packs say; callers add a pack only once it is durable in the backend.
 * Thread-safe; shared by every process that opens the same folder.
 */
public final class LmdbIndex implements AutoCloseable {
    public static final int SCHEMA_VERSION = 1;
    private static final byte[] SCHEMA_KEY = ascii("schema");
    private static final byte[] REPOSITORY_KEY = ascii("repository");
    private static final byte[] NEXT_PACK_NUMBER_KEY = ascii("nextPackNumber");

    private final LmdbEnvironment lmdb;
    private final boolean ownsEnvironment;
    private final Dbi<byte[]> meta;
    private final Dbi<byte[]> packs;
    private final Dbi<byte[]> packNumbers;
    private final Dbi<byte[]> chunks;

    private LmdbIndex(LmdbEnvironment lmdb, boolean ownsEnvironment) {
        this.lmdb = lmdb;
        this.ownsEnvironment = ownsEnvironment;
        this.meta = lmdb.table("meta", false);
        this.packs = lmdb.table("packs", false);
        this.packNumbers = lmdb.table("packnos", false);
        this.chunks = lmdb.table("chunks", true);
    }

    /**
     * Opens the index of repository {@code repositoryId} in {@code lmdb}. An index of another schema or
     * another repository is cleared: it is only a cache.
     */
    public static LmdbIndex open(LmdbEnvironment lmdb, byte[] repositoryId) {
        LmdbIndex index = new LmdbIndex(lmdb, false);
        index.claim(repositoryId);
        return index;
    }

    /** Opens an index in its own environment at {@code folder}. */
    public static LmdbIndex open(java.nio.file.Path folder, byte[] repositoryId) throws IOException {
        LmdbIndex index = new LmdbIndex(LmdbEnvironment.open(folder), true);
        index.claim(repositoryId);
        return index;
    }

    public LmdbEnvironment environment() {
        return lmdb;
    }

    private void claim(byte[] repositoryId) {
        boolean matches = lmdb.read(txn -> {
            byte[] schema = meta.get(txn, SCHEMA_KEY);
            byte[] repo = meta.get(txn, REPOSITORY_KEY);
            return schema != null && IndexCodec.u32(schema) == SCHEMA_VERSION && Arrays.equals(repo, repositoryId);
        });
        if (!matches) {
            lmdb.write(txn -> {
                dropAll(txn);
                meta.put(txn, SCHEMA_KEY, IndexCodec.u32(SCHEMA_VERSION));
                meta.put(txn, REPOSITORY_KEY, repositoryId.clone());
            });
        }
    }

    /** The first stored location of the chunk, if the index knows it. */
    public Optional<ChunkLocation> lookup(ChunkId id) {
        byte[] key = id.bytes();
        return lmdb.read(txn -> {
            byte[] v = chunks.get(txn, key);
            if (v == null) {
                return Optional.<ChunkLocation>empty();
            }
            byte[] packId = packNumbers.get(txn, IndexCodec.u32(IndexCodec.packNumberOf(v)));
            if (packId == null) {
                return Optional.<ChunkLocation>empty();
            }
            return Optional.of(new ChunkLocation(PackId.of(packId), IndexCodec.typeOf(v), IndexCodec.entryOf(id, v)));
        });
    }

    public boolean contains(ChunkId id) {
        byte[] key = id.bytes();
        return lmdb.read(txn -> chunks.get(txn, key) != null);
    }

    public boolean containsPack(PackId id) {
        byte[] key = id.bytes();
        return lmdb.read(txn -> packs.get(txn, key) != null);
    }

    /** Records a pack and all its entries in one transaction. Adding a known pack again does nothing. */
    public void addPack(PackId id, PackType type, long size, List<PackEntry> entries) {
        byte[] packKey = id.bytes();
        lmdb.write(txn -> {
            if (packs.get(txn, packKey) != null) {
                return;
            }
            byte[] nextRaw = meta.get(txn, NEXT_PACK_NUMBER_KEY);
            int number = nextRaw == null ? 1 : IndexCodec.u32(nextRaw);
            meta.put(txn, NEXT_PACK_NUMBER_KEY, IndexCodec.u32(number + 1));
            packs.put(txn, packKey, IndexCodec.packValue(number, type, size, entries.size()));
            packNumbers.put(txn, IndexCodec.u32(number), packKey);
            for (PackEntry e : entries) {
                chunks.put(txn, e.id().bytes(), IndexCodec.chunkValue(number, type, e), PutFlags.MDB_NODUPDATA);
            }
        });
    }

    /** Forgets packs and every entry that points into them (one pass over the chunk table). */
    public void removePacks(Set<PackId> ids) {
        if (ids.isEmpty()) {
            return;
        }
        lmdb.write(txn -> {
            Set<Integer> numbers = new HashSet<>();
            for (PackId id : ids) {
                byte[] v = packs.get(txn, id.bytes());
                if (v != null) {
                    int number = IndexCodec.packRecord(id, v).number();
                    numbers.add(number);
                    packs.delete(txn, id.bytes());
                    packNumbers.delete(txn, IndexCodec.u32(number));
                }
            }
            if (numbers.isEmpty()) {
                return;
            }
            // Collect first, delete after: deleting through the iterating cursor is unsafe in a table
            // with duplicate keys (LMDB 0.9.31 then deletes values it did not return, and can corrupt
            // the tree). Deleting by key and value touches exactly the entries found.
            List<byte[][]> doomed = new ArrayList<>();
            try (Cursor<byte[]> c = chunks.openCursor(txn)) {
                boolean more = c.seek(SeekOp.MDB_FIRST);
                while (more) {
                    if (numbers.contains(IndexCodec.packNumberOf(c.val()))) {
                        doomed.add(new byte[][] {c.key(), c.val()});
                    }
                    more = c.seek(SeekOp.MDB_NEXT);
                }
            }
            for (byte[][] kv : doomed) {
                chunks.delete(txn, kv[0], kv[1]);
            }
        });
    }

    /** Every pack the index knows, by id. */
    public Map<PackId, PackRecord> packs() {
        return lmdb.read(txn -> {
            Map<PackId, PackRecord> out = new HashMap<>();
            try (CursorIterable<byte[]> it = packs.iterate(txn)) {
                for (CursorIterable.KeyVal<byte[]> kv : it) {
                    PackId id = PackId.of(kv.key());
                    out.put(id, IndexCodec.packRecord(id, kv.val()));
                }
            }
            return out;
        });
    }

    /** Every location of every chunk, in id order, read in one transaction. */
    public void forEachLocation(Consumer<ChunkLocation> consumer) {
        lmdb.read(txn -> {
            Map<Integer, PackId> numbers = new HashMap<>();
            try (CursorIterable<byte[]> it = packNumbers.iterate(txn)) {
                for (CursorIterable.KeyVal<byte[]> kv : it) {
                    numbers.put(IndexCodec.u32(kv.key()), PackId.of(kv.val()));
                }
            }
            try (CursorIterable<byte[]> it = chunks.iterate(txn)) {
                for (CursorIterable.KeyVal<byte[]> kv : it) {
                    ChunkId id = ChunkId.of(kv.key());
                    byte[] v = kv.val();
                    PackId pack = numbers.get(IndexCodec.packNumberOf(v));
                    if (pack != null) {
                        consumer.accept(new ChunkLocation(pack, IndexCodec.typeOf(v), IndexCodec.entryOf(id, v)));
                    }
                }
            }
            return null;
        });
    }

    /** All locations, for tests and repair comparisons. */
    public List<ChunkLocation> allLocations() {
        List<ChunkLocation> out = new ArrayList<>();
        forEachLocation(out::add);
        return out;
    }

    /** Counts of what the index holds. */
    public IndexStats stats() {
        long[] acc = new long[4];
        Set<ChunkId> seen = new HashSet<>();
        forEachLocation(loc -> {
            if (seen.add(loc.entry().id())) {
                acc[0]++;
                acc[1] += loc.entry().rawLength();
                acc[2] += loc.entry().storedLength();
                if (loc.type() == PackType.TREE) {
                    acc[3]++;
                }
            }
        });
        long packBytes = 0;
        int dataPacks = 0;
        int treePacks = 0;
        for (PackRecord p : packs().values()) {
            packBytes += p.size();
            if (p.type() == PackType.DATA) {
                dataPacks++;
            } else {
                treePacks++;
            }
        }
        return new IndexStats(acc[0], acc[3], acc[1], acc[2], dataPacks, treePacks, packBytes);
    }

    /** Forgets everything (the repository id and schema stay). */
    public void clear() {
        lmdb.write(txn -> {
            byte[] repo = meta.get(txn, REPOSITORY_KEY);
            dropAll(txn);
            meta.put(txn, SCHEMA_KEY, IndexCodec.u32(SCHEMA_VERSION));
            if (repo != null) {
                meta.put(txn, REPOSITORY_KEY, repo);
            }
        });
    }

    private void dropAll(Txn<byte[]> txn) {
        meta.drop(txn);
        packs.drop(txn);
        packNumbers.drop(txn);
        chunks.drop(txn);
    }

    @Override
    public void close() {
        if (ownsEnvironment) {
            lmdb.close();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
