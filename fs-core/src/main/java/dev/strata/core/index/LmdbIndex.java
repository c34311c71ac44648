package dev.strata.core.index;

import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;
import org.lmdbjava.Cursor;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.PutFlags;
import org.lmdbjava.SeekOp;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
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
 * Copies found damaged, and the entries of packs that vanished, move to a table of lost chunks: they
 * are absent for lookups (so a backup stores such a chunk again) but still say which pack lost what.
 * Thread-safe; shared by every process that opens the same folder.
 */
public final class LmdbIndex implements AutoCloseable {
    public static final int SCHEMA_VERSION = 1;
    private static final byte[] SCHEMA_KEY = ascii("schema");
    private static final byte[] REPOSITORY_KEY = ascii("repository");
    private static final byte[] NEXT_PACK_NUMBER_KEY = ascii("nextPackNumber");
    /** The digest of the pack records' ids and sizes ({@link PackSetDigest}), kept in step with them. */
    private static final byte[] PACK_SET_KEY = ascii("packSet");

    private final LmdbEnvironment lmdb;
    private final boolean ownsEnvironment;
    private final Dbi<byte[]> meta;
    private final Dbi<byte[]> packs;
    private final Dbi<byte[]> packNumbers;
    private final Dbi<byte[]> chunks;
    private final Dbi<byte[]> indexFiles;
    private final LostTable lost;

    private LmdbIndex(LmdbEnvironment lmdb, boolean ownsEnvironment) {
        this.lmdb = lmdb;
        this.ownsEnvironment = ownsEnvironment;
        this.meta = lmdb.table("meta", false);
        this.packs = lmdb.table("packs", false);
        this.packNumbers = lmdb.table("packnos", false);
        this.chunks = lmdb.table("chunks", true);
        this.indexFiles = lmdb.table("indexfiles", false);
        this.lost = new LostTable(lmdb);
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
                meta.put(txn, PACK_SET_KEY, new PackSetDigest().bytes());
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

    /**
     * Whether the index holds a copy of the chunk in a pack not among {@code excluded}: the chunk's
     * copies in condemned packs (docs/format.md §7.1) do not count for deduplication.
     */
    public boolean containsOutside(ChunkId id, Set<PackId> excluded) {
        if (excluded.isEmpty()) {
            return contains(id);
        }
        byte[] key = id.bytes();
        return lmdb.read(txn -> {
            try (Cursor<byte[]> c = chunks.openCursor(txn)) {
                if (!c.get(key, GetOp.MDB_SET_KEY)) {
                    return false;
                }
                do {
                    byte[] packId = packNumbers.get(txn, IndexCodec.u32(IndexCodec.packNumberOf(c.val())));
                    if (packId != null && !excluded.contains(PackId.of(packId))) {
                        return true;
                    }
                } while (c.seek(SeekOp.MDB_NEXT_DUP));
                return false;
            }
        });
    }

    public boolean containsPack(PackId id) {
        byte[] key = id.bytes();
        return lmdb.read(txn -> packs.get(txn, key) != null);
    }

    /** Records a pack and all its entries in one transaction. Adding a known pack again does nothing. */
    public void addPack(PackId id, PackType type, long size, List<PackEntry> entries) {
        addPack(id, type, size, entries, false);
    }

    /**
     * Records a pack and its entries in one transaction; {@code salvaged} says its table was unreadable
     * and {@code entries} are what a scan found. Entries known to be damaged stay out; a pack that had
     * gone missing and is back clears its missing records. Adding a known pack again does nothing.
     */
    public void addPack(PackId id, PackType type, long size, List<PackEntry> entries, boolean salvaged) {
        lmdb.write(txn -> addPack(txn, id, type, size, entries, salvaged));
    }

    private void addPack(Txn<byte[]> txn, PackId id, PackType type, long size, List<PackEntry> entries, boolean salvaged) {
        byte[] packKey = id.bytes();
        if (packs.get(txn, packKey) != null) {
            return;
        }
        byte[] nextRaw = meta.get(txn, NEXT_PACK_NUMBER_KEY);
        int number = nextRaw == null ? 1 : IndexCodec.u32(nextRaw);
        meta.put(txn, NEXT_PACK_NUMBER_KEY, IndexCodec.u32(number + 1));
        packs.put(txn, packKey, IndexCodec.packValue(number, type, size, entries.size(), salvaged));
        packNumbers.put(txn, IndexCodec.u32(number), packKey);
        adjustPackSet(txn, d -> d.add(id, size));
        putEntries(txn, id, number, type, entries);
    }

    /**
     * Records the packs an index file described (docs/format.md §9.1), each durable in the backend, and
     * that the file {@code indexFile} (its name's 32 bytes) has been read, in one transaction. Packs the
     * index knows already are left as they are.
     */
    public void addIndexFile(byte[] indexFile, List<PackTable> described) {
        addIndexFiles(List.of(indexFile), described);
    }

    /** Records packs read from their tables, each durable in the backend, in one transaction. */
    public void addPacks(List<PackTable> tables) {
        addIndexFiles(List.of(), tables);
    }

    /** Like {@link #addIndexFile} for the packs of several index files at once. */
    public void addIndexFiles(List<byte[]> indexFileNames, List<PackTable> described) {
        if (indexFileNames.isEmpty() && described.isEmpty()) {
            return;
        }
        lmdb.write(txn -> {
            for (PackTable t : described) {
                addPack(txn, t.id(), t.type(), t.size(), t.entries(), false);
            }
            for (byte[] name : indexFileNames) {
                indexFiles.put(txn, name.clone(), new byte[0]);
            }
        });
    }

    /**
     * A build of the whole index in one transaction ({@link IndexBuild}), for an index that holds
     * nothing yet: no pack, chunk, index file read or lost copy (a new or discarded cache). Empty for
     * any other index, which takes packs one transaction at a time.
     */
    public Optional<IndexBuild> startBuild() throws IOException {
        return startBuild(RecordSorter.BUFFER_BYTES / IndexBuild.ENTRY_LENGTH);
    }

    /** As {@link #startBuild()}, sorting {@code bufferRecords} entries at a time (tests use few). */
    Optional<IndexBuild> startBuild(int bufferRecords) throws IOException {
        Tables tables = tables();
        Integer first = lmdb.read(txn -> tables.empty(txn) ? tables.nextPackNumber(txn) : null);
        if (first == null) {
            return Optional.empty();
        }
        return Optional.of(new IndexBuild(tables, lmdb.openRunFolder("index-build"), first, bufferRecords));
    }

    private Tables tables() {
        return new Tables(lmdb, meta, packs, packNumbers, chunks, indexFiles, lost);
    }

    /** The index's tables and the meta records kept in step with them, for {@link IndexBuild}. */
    record Tables(LmdbEnvironment lmdb, Dbi<byte[]> meta, Dbi<byte[]> packs, Dbi<byte[]> packNumbers,
                  Dbi<byte[]> chunks, Dbi<byte[]> indexFiles, LostTable lost) {
        boolean empty(Txn<byte[]> txn) {
            return packs.stat(txn).entries == 0 && packNumbers.stat(txn).entries == 0 && chunks.stat(txn).entries == 0
                    && indexFiles.stat(txn).entries == 0 && lost.isEmpty(txn);
        }

        int nextPackNumber(Txn<byte[]> txn) {
            byte[] raw = meta.get(txn, NEXT_PACK_NUMBER_KEY);
            return raw == null ? 1 : IndexCodec.u32(raw);
        }

        void setNextPackNumber(Txn<byte[]> txn, int next) {
            meta.put(txn, NEXT_PACK_NUMBER_KEY, IndexCodec.u32(next));
        }

        /** The digest of the pack records, or null when the index keeps none. */
        PackSetDigest packSet(Txn<byte[]> txn) {
            return PackSetDigest.parse(meta.get(txn, PACK_SET_KEY));
        }

        void setPackSet(Txn<byte[]> txn, PackSetDigest digest) {
            meta.put(txn, PACK_SET_KEY, digest.bytes());
        }
    }

    /** Whether the index file named by these 32 bytes has been read into this index. */
    public boolean hasReadIndexFile(byte[] indexFile) {
        return lmdb.read(txn -> indexFiles.get(txn, indexFile) != null);
    }

    private void putEntries(Txn<byte[]> txn, PackId pack, int number, PackType type, List<PackEntry> entries) {
        boolean noneLost = lost.isEmpty(txn);
        for (PackEntry e : entries) {
            LostChunk was = noneLost ? null : lost.get(txn, e.id(), pack);
            if (was != null) {
                if (was.reason() == LostChunk.Reason.DAMAGED) {
                    continue;
                }
                lost.delete(txn, e.id(), pack);
            }
            chunks.put(txn, e.id().bytes(), IndexCodec.chunkValue(number, type, e), PutFlags.MDB_NODUPDATA);
        }
    }

    /**
     * Replaces what the index holds for a pack whose table turned out unreadable with what a scan of
     * it found: {@code readable} entries stay usable, {@code damaged} ones become lost chunks. Adds the
     * pack if the index did not know it.
     */
    public void replaceSalvaged(PackId id, PackType type, long size, List<PackEntry> readable, List<PackEntry> damaged) {
        byte[] packKey = id.bytes();
        lmdb.write(txn -> {
            byte[] v = packs.get(txn, packKey);
            int number;
            if (v == null) {
                byte[] nextRaw = meta.get(txn, NEXT_PACK_NUMBER_KEY);
                number = nextRaw == null ? 1 : IndexCodec.u32(nextRaw);
                meta.put(txn, NEXT_PACK_NUMBER_KEY, IndexCodec.u32(number + 1));
                packNumbers.put(txn, IndexCodec.u32(number), packKey);
            } else {
                PackRecord was = IndexCodec.packRecord(id, v);
                number = was.number();
                deleteChunkValues(txn, Set.of(number), null);
                adjustPackSet(txn, d -> d.remove(id, was.size()));
            }
            adjustPackSet(txn, d -> d.add(id, size));
            packs.put(txn, packKey, IndexCodec.packValue(number, type, size, readable.size() + damaged.size(), true));
            for (PackEntry e : damaged) {
                lost.put(txn, new LostChunk(new ChunkLocation(id, type, e), LostChunk.Reason.DAMAGED));
            }
            putEntries(txn, id, number, type, readable);
        });
    }

    /** Forgets packs that were deleted on purpose (prune): their entries and their lost chunks go. */
    public void removePacks(Set<PackId> ids) {
        dropPacks(ids, false);
        if (ids.isEmpty()) {
            return;
        }
        lmdb.write(txn -> lost.deletePacks(txn, ids));
    }

    /**
     * Forgets packs that vanished from the repository without this index being told: their entries
     * become lost chunks (reason missing), so check can still name the pack that held them.
     */
    public void losePacks(Set<PackId> ids) {
        dropPacks(ids, true);
    }

    private void dropPacks(Set<PackId> ids, boolean keepAsLost) {
        if (ids.isEmpty()) {
            return;
        }
        lmdb.write(txn -> {
            Map<Integer, PackId> numbers = new HashMap<>();
            for (PackId id : ids) {
                byte[] v = packs.get(txn, id.bytes());
                if (v != null) {
                    PackRecord record = IndexCodec.packRecord(id, v);
                    int number = record.number();
                    numbers.put(number, id);
                    packs.delete(txn, id.bytes());
                    packNumbers.delete(txn, IndexCodec.u32(number));
                    adjustPackSet(txn, d -> d.remove(id, record.size()));
                }
            }
            if (numbers.isEmpty()) {
                return;
            }
            deleteChunkValues(txn, numbers.keySet(), keepAsLost ? (key, value) -> {
                ChunkId chunk = ChunkId.of(key);
                PackId pack = numbers.get(IndexCodec.packNumberOf(value));
                ChunkLocation loc = new ChunkLocation(pack, IndexCodec.typeOf(value), IndexCodec.entryOf(chunk, value));
                lost.put(txn, new LostChunk(loc, LostChunk.Reason.MISSING));
            } : null);
        });
    }

    /** Deletes every chunk value of the given pack numbers, showing each to {@code before} first. */
    private void deleteChunkValues(Txn<byte[]> txn, Set<Integer> numbers,
                                   java.util.function.BiConsumer<byte[], byte[]> before) {
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
            if (before != null) {
                before.accept(kv[0], kv[1]);
            }
            chunks.delete(txn, kv[0], kv[1]);
        }
    }

    /**
     * Marks one stored copy as damaged: lookups stop returning it (another copy, if any, is used
     * instead) and it is kept as a lost chunk. Does nothing if the index does not hold that copy.
     */
    public void markDamaged(ChunkLocation loc) {
        byte[] key = loc.entry().id().bytes();
        lmdb.write(txn -> {
            byte[] v = packs.get(txn, loc.pack().bytes());
            if (v == null) {
                return;
            }
            int number = IndexCodec.packRecord(loc.pack(), v).number();
            byte[] found = null;
            try (Cursor<byte[]> c = chunks.openCursor(txn)) {
                boolean more = c.get(key, GetOp.MDB_SET);
                while (more && found == null) {
                    if (IndexCodec.packNumberOf(c.val()) == number) {
                        found = c.val();
                    }
                    more = c.seek(SeekOp.MDB_NEXT_DUP);
                }
            }
            if (found == null) {
                return;
            }
            chunks.delete(txn, key, found);
            lost.put(txn, new LostChunk(loc, LostChunk.Reason.DAMAGED));
        });
    }

    /**
     * Makes copies that were marked damaged usable again once they have been read back intact (a pack
     * put back from a copy). Copies whose pack the index does not know stay lost.
     */
    public void recover(Collection<LostChunk> copies) {
        if (copies.isEmpty()) {
            return;
        }
        lmdb.write(txn -> {
            for (LostChunk l : copies) {
                ChunkLocation loc = l.location();
                byte[] v = packs.get(txn, loc.pack().bytes());
                if (v == null) {
                    continue;
                }
                int number = IndexCodec.packRecord(loc.pack(), v).number();
                lost.delete(txn, loc.entry().id(), loc.pack());
                chunks.put(txn, loc.entry().id().bytes(), IndexCodec.chunkValue(number, loc.type(), loc.entry()),
                        PutFlags.MDB_NODUPDATA);
            }
        });
    }

    /** The lost copies of one chunk (damaged, or in packs that vanished). */
    public List<LostChunk> lost(ChunkId id) {
        return lmdb.read(txn -> lost.of(txn, id));
    }

    /** Every lost copy, in chunk id order. */
    public List<LostChunk> allLost() {
        return lmdb.read(lost::all);
    }

    /** Drops lost copies that no longer matter (nothing refers to them and their pack is gone). */
    public void forgetLost(Collection<LostChunk> copies) {
        if (copies.isEmpty()) {
            return;
        }
        lmdb.write(txn -> copies.forEach(l -> lost.delete(txn, l.location().entry().id(), l.location().pack())));
    }

    /**
     * The entries the index holds for each of {@code wanted}, in offset order, read in one pass over
     * the chunks (for many packs at once; {@link #entries(PackId)} reads the whole table for one).
     * Memory grows with the entries of the packs asked for, so callers ask in groups.
     */
    public Map<PackId, List<PackEntry>> entriesOf(java.util.Collection<PackId> wanted) {
        return lmdb.read(txn -> {
            Map<Integer, PackId> byNumber = new java.util.HashMap<>();
            Map<PackId, List<PackEntry>> out = new java.util.HashMap<>();
            for (PackId id : wanted) {
                byte[] v = packs.get(txn, id.bytes());
                if (v != null) {
                    byNumber.put(IndexCodec.packRecord(id, v).number(), id);
                    out.put(id, new ArrayList<>());
                }
            }
            if (byNumber.isEmpty()) {
                return out;
            }
            try (CursorIterable<byte[]> it = chunks.iterate(txn)) {
                for (CursorIterable.KeyVal<byte[]> kv : it) {
                    PackId pack = byNumber.get(IndexCodec.packNumberOf(kv.val()));
                    if (pack != null) {
                        out.get(pack).add(IndexCodec.entryOf(ChunkId.of(kv.key()), kv.val()));
                    }
                }
            }
            out.values().forEach(l -> l.sort(Comparator.comparingLong(PackEntry::offset)));
            return out;
        });
    }

    /** The usable entries the index holds for one pack, in file order (one pass over the chunk table). */
    public List<PackEntry> entries(PackId pack) {
        return lmdb.read(txn -> {
            List<PackEntry> out = new ArrayList<>();
            byte[] v = packs.get(txn, pack.bytes());
            if (v == null) {
                return out;
            }
            int number = IndexCodec.packRecord(pack, v).number();
            try (CursorIterable<byte[]> it = chunks.iterate(txn)) {
                for (CursorIterable.KeyVal<byte[]> kv : it) {
                    if (IndexCodec.packNumberOf(kv.val()) == number) {
                        out.add(IndexCodec.entryOf(ChunkId.of(kv.key()), kv.val()));
                    }
                }
            }
            out.sort(Comparator.comparingLong(PackEntry::offset));
            return out;
        });
    }

    /**
     * The digest of the packs the index knows (ids and sizes), read without reading their records;
     * empty when the index has none, or one out of step with its records (an index written before
     * the digest was kept, or by a version that does not keep it): {@link #resetPackSet()} makes it anew.
     */
    public Optional<PackSetDigest> packSet() {
        return lmdb.read(txn -> {
            PackSetDigest d = PackSetDigest.parse(meta.get(txn, PACK_SET_KEY));
            return d != null && d.count() == packs.stat(txn).entries ? Optional.of(d) : Optional.<PackSetDigest>empty();
        });
    }

    /** Computes the digest of the packs anew from their records (one read of them all). */
    public void resetPackSet() {
        lmdb.write(txn -> {
            PackSetDigest d = new PackSetDigest();
            try (CursorIterable<byte[]> it = packs.iterate(txn)) {
                for (CursorIterable.KeyVal<byte[]> kv : it) {
                    PackId id = PackId.of(kv.key());
                    d.add(id, IndexCodec.packRecord(id, kv.val()).size());
                }
            }
            meta.put(txn, PACK_SET_KEY, d.bytes());
        });
    }

    /** Applies a change of the pack records to their digest, in the same transaction; an absent one stays absent. */
    private void adjustPackSet(Txn<byte[]> txn, Consumer<PackSetDigest> change) {
        PackSetDigest d = PackSetDigest.parse(meta.get(txn, PACK_SET_KEY));
        if (d != null) {
            change.accept(d);
            meta.put(txn, PACK_SET_KEY, d.bytes());
        }
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
    /** Indexes with more chunk entries than this are not walked whole at open: the walk would cost seconds. */
    static final long VERIFY_AT_MOST = 1_000_000;

    /**
     * Walks the index whole, as a reader of damaged pages would go astray: every entry must decode,
     * name a pack the index knows and sort after the one before, and the walk must count what the
     * table says it holds. Returns what is wrong, or null. Garbage in the middle of the file, which
     * the meta pages do not show, is found here rather than as chunks "in no pack".
     */
    String verify() {
        return lmdb.read(txn -> {
            Map<Integer, PackId> numbers = new HashMap<>();
            long numbered = 0;
            try (CursorIterable<byte[]> it = packNumbers.iterate(txn)) {
                for (CursorIterable.KeyVal<byte[]> kv : it) {
                    numbered++;
                    if (kv.key().length != 4 || kv.val().length != PackId.LENGTH || packs.get(txn, kv.val()) == null) {
                        return "pack number entry " + numbered + " is out of shape";
                    }
                    numbers.put(IndexCodec.u32(kv.key()), PackId.of(kv.val()));
                }
            }
            if (numbered != packNumbers.stat(txn).entries || numbered != packs.stat(txn).entries) {
                return "the pack tables hold " + numbered + " numbered packs of " + packs.stat(txn).entries;
            }
            long walked = 0;
            byte[] previous = null;
            try (CursorIterable<byte[]> it = chunks.iterate(txn)) {
                for (CursorIterable.KeyVal<byte[]> kv : it) {
                    walked++;
                    byte[] key = kv.key();
                    if (key.length != ChunkId.LENGTH || (previous != null && Arrays.compareUnsigned(previous, key) > 0)) {
                        return "chunk entry " + walked + " is out of shape or order";
                    }
                    byte[] v = kv.val();
                    try {
                        if (numbers.get(IndexCodec.packNumberOf(v)) == null) {
                            return "chunk entry " + walked + " names no known pack";
                        }
                        IndexCodec.entryOf(ChunkId.of(key), v);
                        IndexCodec.typeOf(v);
                    } catch (RuntimeException e) {
                        return "chunk entry " + walked + " does not decode";
                    }
                    previous = key;
                }
            }
            long held = chunks.stat(txn).entries;
            return walked == held ? null : "the chunk table says it holds " + held + " entries, a walk finds " + walked;
        });
    }

    /** How many chunk entries the index holds (usable copies; several copies of one chunk count each). */
    long chunkEntries() {
        return lmdb.read(txn -> chunks.stat(txn).entries);
    }

    /** Whether the index holds no pack record (a new or cleared cache); one look at the table's size. */
    public boolean knowsNoPack() {
        return lmdb.read(txn -> packs.stat(txn).entries) == 0;
    }

    public void forEachLocation(Consumer<ChunkLocation> consumer) {
        lmdb.read(txn -> {
            Map<Integer, PackId> numbers = packNumbers(txn);
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

    /** What {@link #forEachCopy} reports for each stored copy of a chunk. */
    @FunctionalInterface
    public interface CopyVisitor {
        /** {@code primary}: this is the copy {@link #lookup} gives for the chunk, the one reads use. */
        void copy(ChunkLocation location, boolean primary);
    }

    /**
     * Visits every stored copy of every chunk in one read transaction, in ascending order of chunk id
     * (unsigned bytes), the copies of one chunk together. The visitor must not use LMDB itself: a
     * transaction begun inside this walk could not adopt a map that another process grew meanwhile.
     */
    public void forEachCopy(CopyVisitor visitor) {
        lmdb.read(txn -> {
            Map<Integer, PackId> numbers = packNumbers(txn);
            byte[] previous = null;
            PackId primary = null;
            try (CursorIterable<byte[]> it = chunks.iterate(txn)) {
                for (CursorIterable.KeyVal<byte[]> kv : it) {
                    byte[] key = kv.key();
                    byte[] v = kv.val();
                    PackId pack = numbers.get(IndexCodec.packNumberOf(v));
                    if (previous == null || !Arrays.equals(previous, key)) {
                        // The first duplicate in LMDB's order is the one a lookup finds.
                        previous = key;
                        primary = pack;
                    }
                    if (pack != null) {
                        visitor.copy(new ChunkLocation(pack, IndexCodec.typeOf(v), IndexCodec.entryOf(ChunkId.of(key), v)),
                                pack.equals(primary));
                    }
                }
            }
            return null;
        });
    }

    private Map<Integer, PackId> packNumbers(Txn<byte[]> txn) {
        Map<Integer, PackId> numbers = new HashMap<>();
        try (CursorIterable<byte[]> it = packNumbers.iterate(txn)) {
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                numbers.put(IndexCodec.u32(kv.key()), PackId.of(kv.val()));
            }
        }
        return numbers;
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

    /**
     * Forgets every pack and chunk; the repository id, the schema and the lost chunks stay, so that a
     * rebuild does not take a copy known to be damaged for a good one.
     */
    public void clear() {
        lmdb.write(txn -> {
            byte[] repo = meta.get(txn, REPOSITORY_KEY);
            meta.drop(txn);
            packs.drop(txn);
            packNumbers.drop(txn);
            chunks.drop(txn);
            indexFiles.drop(txn);
            meta.put(txn, SCHEMA_KEY, IndexCodec.u32(SCHEMA_VERSION));
            meta.put(txn, PACK_SET_KEY, new PackSetDigest().bytes());
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
        indexFiles.drop(txn);
        lost.drop(txn);
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
