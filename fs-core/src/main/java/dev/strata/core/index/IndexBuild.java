package dev.strata.core.index;

import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackTable;
import org.lmdbjava.Dbi;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the index of an empty cache in one go (docs/format.md §9.2): the packs and index files it is
 * given are numbered and recorded exactly as {@link LmdbIndex#addIndexFiles} records them one at a
 * time, but their chunk entries go to sorted runs on disk ({@link RecordSorter}, in a run folder of
 * the cache), and {@link #commit()} writes every table in key order, appending, in one write
 * transaction. Each page is then written once, where adding the entries of tens of thousands of packs
 * at random would rewrite most of the chunk table at every commit. One transaction is also what makes
 * a build safe to interrupt: until its commit the cache stays empty, and a killed process leaves
 * nothing the next one could trust; that one builds again. Confined to one thread.
 */
public final class IndexBuild implements AutoCloseable {
    /** A chunk entry in the runs: the chunk id (the table's key) then its value. */
    static final int ENTRY_LENGTH = ChunkId.LENGTH + IndexCodec.CHUNK_VALUE_LENGTH;
    /** Map room an entry takes, appended: key, value, LMDB's node header and slot, and some for branch pages. */
    private static final long BYTES_PER_ENTRY = 80;
    private static final long BYTES_PER_PACK = 2 * 96;
    private static final long BYTES_PER_FILE = 96;
    private static final long MAP_SLACK = 4L << 20;

    private final LmdbIndex.Tables tables;
    private final RecordSorter entries;
    private final int firstNumber;
    private int nextNumber;
    private final List<PackRow> packs = new ArrayList<>();
    private final Set<PackId> added = new HashSet<>();
    private final List<byte[]> indexFiles = new ArrayList<>();
    private long entryCount;
    private boolean committed;

    private record PackRow(PackId id, int number, long size, byte[] value) {
    }

    IndexBuild(LmdbIndex.Tables tables, Path runFolder, int firstNumber, int bufferRecords) {
        this.tables = tables;
        this.entries = new RecordSorter(runFolder, ENTRY_LENGTH, bufferRecords);
        this.firstNumber = firstNumber;
        this.nextNumber = firstNumber;
    }

    /** Adds a pack, durable in the backend, and its entries; a pack added before is left as it was. */
    public void addPack(PackTable t) throws IOException {
        if (committed) {
            throw new IllegalStateException("packs added after the build was committed");
        }
        if (!added.add(t.id())) {
            return;
        }
        int number = nextNumber++;
        packs.add(new PackRow(t.id(), number, t.size(), IndexCodec.packValue(number, t.type(), t.size(), t.entries().size(), false)));
        byte[] record = new byte[ENTRY_LENGTH];
        for (PackEntry e : t.entries()) {
            e.id().copyTo(record, 0);
            System.arraycopy(IndexCodec.chunkValue(number, t.type(), e), 0, record, ChunkId.LENGTH, IndexCodec.CHUNK_VALUE_LENGTH);
            entries.add(record);
            entryCount++;
        }
    }

    /** Records that the index file named by these 32 bytes has been read. */
    public void addIndexFile(byte[] name) {
        indexFiles.add(name.clone());
    }

    /** How many packs were added. */
    public int packs() {
        return packs.size();
    }

    /**
     * Writes everything added, in one transaction. Returns false, writing nothing, when the index is
     * no longer empty (another process sharing the cache has filled it meanwhile): the caller then adds
     * what it read the ordinary way, which leaves alone what is known already.
     */
    public boolean commit() throws IOException {
        if (committed) {
            throw new IllegalStateException("the build was committed already");
        }
        committed = true;
        try (SortedRecords sorted = entries.finish()) {
            tables.lmdb().reserve(entryCount * BYTES_PER_ENTRY + packs.size() * BYTES_PER_PACK
                    + indexFiles.size() * BYTES_PER_FILE + MAP_SLACK);
            boolean[] written = {false};
            try {
                tables.lmdb().write(txn -> written[0] = write(txn, sorted));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return written[0];
        }
    }

    private boolean write(Txn<byte[]> txn, SortedRecords sorted) {
        if (!tables.empty(txn) || tables.nextPackNumber(txn) != firstNumber) {
            return false;
        }
        if (!packs.isEmpty()) {
            tables.setNextPackNumber(txn, nextNumber);
        }
        // Pack numbers in the order they were given, big-endian: ascending keys.
        for (PackRow p : packs) {
            append(tables.packNumbers(), txn, IndexCodec.u32(p.number()), p.id().bytes());
        }
        List<PackRow> byId = new ArrayList<>(packs);
        byId.sort((a, b) -> Arrays.compareUnsigned(a.id().bytes(), b.id().bytes()));
        PackSetDigest digest = tables.packSet(txn);
        for (PackRow p : byId) {
            append(tables.packs(), txn, p.id().bytes(), p.value());
            if (digest != null) {
                digest.add(p.id(), p.size());
            }
        }
        if (digest != null) {
            tables.setPackSet(txn, digest);
        }
        try (SortedRecords.Cursor c = sorted.cursor()) {
            byte[] previousKey = null;
            for (byte[] r = c.next(); r != null; r = c.next()) {
                byte[] key = Arrays.copyOf(r, ChunkId.LENGTH);
                byte[] value = Arrays.copyOfRange(r, ChunkId.LENGTH, ENTRY_LENGTH);
                // A chunk in several packs: its further values are appended to its duplicates, which
                // LMDB keeps sorted by their bytes (the pack number first), as adding them one at a
                // time leaves them. Repeats of a whole entry the sort dropped, as MDB_NODUPDATA would.
                boolean again = Arrays.equals(key, previousKey);
                tables.chunks().put(txn, key, value, again ? PutFlags.MDB_APPENDDUP : PutFlags.MDB_APPEND);
                previousKey = key;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<byte[]> names = new ArrayList<>(indexFiles);
        names.sort(Arrays::compareUnsigned);
        byte[] previousName = null;
        for (byte[] name : names) {
            if (!Arrays.equals(name, previousName)) {
                append(tables.indexFiles(), txn, name, new byte[0]);
            }
            previousName = name;
        }
        return true;
    }

    private static void append(Dbi<byte[]> table, Txn<byte[]> txn, byte[] key, byte[] value) {
        table.put(txn, key, value, PutFlags.MDB_APPEND);
    }

    /** Deletes the sorted runs. Idempotent. */
    @Override
    public void close() throws IOException {
        entries.close();
    }
}
