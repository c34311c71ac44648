package dev.strata.snapshot.archive;

import dev.strata.core.index.LmdbEnvironment;
import dev.strata.core.index.LmdbTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The working set of one import, kept in a table of its own in the repository's cache (an LMDB run
 * table, dropped at the end) rather than on the heap, so that an archive of any number of entries
 * imports in bounded memory. Writes gather in a small batch that is written in one transaction when it
 * fills (a transaction per entry would sync the disk per entry); reads see the batch. No transaction is
 * held between calls, so the chunk store may write its index in between. Confined to one thread.
 */
final class ImportTable implements AutoCloseable {
    private static final int BATCH_ENTRIES = 4096;

    private final LmdbEnvironment lmdb;
    private final LmdbTable table;
    private final TreeMap<byte[], byte[]> batch = new TreeMap<>(Arrays::compareUnsigned);

    ImportTable(LmdbEnvironment lmdb) {
        this.lmdb = lmdb;
        this.table = lmdb.openRunTable("import");
    }

    byte[] get(byte[] key) {
        byte[] v = batch.get(key);
        return v != null ? v : table.get(key);
    }

    void put(byte[] key, byte[] value) {
        batch.put(key, value);
        if (batch.size() >= BATCH_ENTRIES) {
            flush();
        }
    }

    /**
     * Up to {@code max} entries whose keys start with {@code prefix}, in key order, from the first key at
     * or after {@code from}; copies, read in one short transaction.
     */
    List<Map.Entry<byte[], byte[]>> read(byte[] prefix, byte[] from, int max) {
        flush();
        List<Map.Entry<byte[], byte[]>> out = new ArrayList<>(Math.min(max, 256));
        lmdb.inRead(txn -> {
            table.scan(txn, prefix, from, (k, v) -> {
                out.add(Map.entry(k, v));
                return out.size() < max;
            });
            return null;
        });
        return out;
    }

    private void flush() {
        if (!batch.isEmpty()) {
            table.putAll(batch);
            batch.clear();
        }
    }

    /** Drops the table. Idempotent. */
    @Override
    public void close() {
        batch.clear();
        table.drop();
    }
}
