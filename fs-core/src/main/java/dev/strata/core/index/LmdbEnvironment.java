package dev.strata.core.index;

import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One LMDB environment with the rules lmdbjava leaves to its users: transactions are short and never
 * outlive a call, values are copied out as byte arrays (so nothing points into the map after the
 * transaction), the map grows when it fills, and a map grown by another process is adopted.
 * Thread-safe; any number of processes may open the same folder, unless one opened it exclusive.
 */
public final class LmdbEnvironment implements AutoCloseable {
    static final long DEFAULT_INITIAL_MAP_SIZE = 1L << 30;
    private static final int MAX_READERS = 512;
    private static final int MAX_TABLES = 32;
    /** The folder, beside the data file, of {@link #openRunFolder run folders}. */
    static final String RUN_FOLDERS = "runs";

    private final Path folder;
    private final Env<byte[]> env;
    /** Transactions hold it shared; resizing the map holds it alone, as LMDB requires no live transactions. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private long mapSize;
    private volatile boolean closed;
    /** Opened without LMDB's lock file: for one process, one writer and no reader beside it. */
    private final boolean exclusive;

    private LmdbEnvironment(Path folder, long initialMapSize, boolean exclusive) throws IOException {
        this.folder = folder;
        this.exclusive = exclusive;
        Files.createDirectories(folder);
        this.mapSize = initialMapSize;
        try {
            // MDB_NOTLS: read transactions belong to the Txn object, not the thread, so pooled threads are safe.
            // MDB_NOLOCK: no lock file, so no writer mutex that ties a write transaction to its thread;
            // the one user (LmdbSession) serializes every transaction itself.
            // MDB_NORDAHEAD: LMDB asks the kernel (MADV_RANDOM) to read only the page a lookup faults on.
            // With read-ahead, each fault on a cold page reads the device's read-ahead window (8 MiB on
            // some virtual disks) into large page-cache folios, and a newer kernel maps a whole folio at
            // once: a few hundred lookups in a large index made hundreds of MB of it resident.
            EnvFlags[] flags = exclusive
                    ? new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOLOCK, EnvFlags.MDB_NORDAHEAD}
                    : new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NORDAHEAD};
            this.env = Env.create(ByteArrayProxy.PROXY_BA)
                    .setMapSize(initialMapSize)
                    .setMaxDbs(MAX_TABLES)
                    .setMaxReaders(MAX_READERS)
                    .open(folder.toFile(), flags);
            // Reader slots left by processes that died (a killed backup, a crashed mount) are freed here.
            env.readerCheck();
            long existing = env.info().mapSize;
            if (existing > mapSize) {
                mapSize = existing;
            }
        } catch (LmdbException e) {
            throw new IOException("open LMDB environment in " + folder + ": " + e.getMessage(), e);
        }
    }

    public static LmdbEnvironment open(Path folder) throws IOException {
        return new LmdbEnvironment(folder, DEFAULT_INITIAL_MAP_SIZE, false);
    }

    /** Opens with a chosen initial map size; tests use a tiny one to exercise growth. */
    public static LmdbEnvironment open(Path folder, long initialMapSize) throws IOException {
        return new LmdbEnvironment(folder, initialMapSize, false);
    }

    /**
     * Opens an environment that this process alone uses, through one {@link LmdbSession} and nothing
     * else: without LMDB's lock file, which no other process may then open at the same time (the caller
     * makes sure of that, with a lock of its own).
     */
    public static LmdbEnvironment openExclusive(Path folder) throws IOException {
        return new LmdbEnvironment(folder, DEFAULT_INITIAL_MAP_SIZE, true);
    }

    /** As {@link #openExclusive(Path)} with a chosen initial map size (tests). */
    public static LmdbEnvironment openExclusive(Path folder, long initialMapSize) throws IOException {
        return new LmdbEnvironment(folder, initialMapSize, true);
    }

    /** Whether this environment was opened exclusive ({@link #openExclusive}). */
    public boolean exclusive() {
        return exclusive;
    }

    public Path folder() {
        return folder;
    }

    /** Opens (creating if needed) a plain key-value table for layers above the index. */
    public LmdbTable openTable(String name) {
        return new LmdbTable(this, table(name, false), name);
    }

    /**
     * Creates a table of its own for one run of a command (check, prune, stats) to keep its working
     * set in, so that runs in several processes sharing this cache never see each other's entries.
     * The caller {@link LmdbTable#drop() drops} it at the end; tables left by runs whose process has
     * ended (killed, crashed) are dropped here first.
     */
    public LmdbTable openRunTable(String purpose) {
        dropTablesOfEndedRuns();
        String name = RunTableName.create(purpose);
        return new LmdbTable(this, table(name, false), name);
    }

    /**
     * Creates an empty folder of its own for one run of a command to spill its working set to in files
     * (prune's sorted runs of chunk ids): {@code runs/} beside the environment's data file, named as run
     * tables are, with {@code +} for {@code /}. The caller deletes it at the end; folders left by runs
     * whose process has ended are deleted here first.
     */
    public Path openRunFolder(String purpose) throws IOException {
        deleteFoldersOfEndedRuns();
        Path created = folder.resolve(RUN_FOLDERS).resolve(RunTableName.create(purpose).replace('/', '+'));
        Files.createDirectories(created);
        return created;
    }

    /** Deletes the run folders whose process is gone; returns how many. */
    int deleteFoldersOfEndedRuns() throws IOException {
        Path runs = folder.resolve(RUN_FOLDERS);
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        List<Path> ended;
        try (java.util.stream.Stream<Path> found = Files.list(runs)) {
            ended = found.filter(p -> RunTableName.ownerHasEnded(p.getFileName().toString().replace('+', '/'))).toList();
        }
        for (Path p : ended) {
            deleteTree(p);
        }
        return ended.size();
    }

    private static void deleteTree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Drops the run tables whose process is gone; returns how many. */
    int dropTablesOfEndedRuns() {
        int dropped = 0;
        for (String name : tableNames()) {
            if (RunTableName.ownerHasEnded(name)) {
                Dbi<byte[]> dbi;
                try {
                    dbi = table(name, false);
                } catch (LmdbException alreadyDropped) {
                    continue;
                }
                write(txn -> dbi.drop(txn, true));
                dropped++;
            }
        }
        return dropped;
    }

    /** The names of the named tables in this environment. */
    List<String> tableNames() {
        gate.readLock().lock();
        try {
            List<String> out = new ArrayList<>();
            for (byte[] name : env.getDbiNames()) {
                out.add(new String(name, StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Opens (creating if needed) a named table. */
    Dbi<byte[]> table(String name, boolean duplicateKeys) {
        gate.readLock().lock();
        try {
            return duplicateKeys
                    ? env.openDbi(name, DbiFlags.MDB_CREATE, DbiFlags.MDB_DUPSORT)
                    : env.openDbi(name, DbiFlags.MDB_CREATE);
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Runs {@code body} in a read transaction; what it returns must not reference LMDB memory. */
    public <R> R read(Function<Txn<byte[]>, R> body) {
        while (true) {
            gate.readLock().lock();
            try (Txn<byte[]> txn = env.txnRead()) {
                return body.apply(txn);
            } catch (Dbi.MapResizedException resizedElsewhere) {
                // fall through: adopt the new size, then retry
            } finally {
                gate.readLock().unlock();
            }
            adoptOrGrow(false);
        }
    }

    /** Runs {@code body} in a write transaction and commits it, growing the map when it is full. */
    public void write(Consumer<Txn<byte[]>> body) {
        while (true) {
            boolean full = false;
            gate.readLock().lock();
            try (Txn<byte[]> txn = env.txnWrite()) {
                body.accept(txn);
                txn.commit();
                return;
            } catch (Env.MapFullException e) {
                full = true;
            } catch (Dbi.MapResizedException resizedElsewhere) {
                full = false;
            } finally {
                gate.readLock().unlock();
            }
            adoptOrGrow(full);
        }
    }

    /** The map's current size in bytes. */
    public long mapSize() {
        gate.readLock().lock();
        try {
            return mapSize;
        } finally {
            gate.readLock().unlock();
        }
    }

    Env<byte[]> env() {
        return env;
    }

    /** Bytes of the data file that hold pages LMDB uses (up to the last page written). */
    long usedBytes() {
        return (env.info().lastPageNumber + 1) * env.stat().pageSize;
    }

    ReentrantReadWriteLock gate() {
        return gate;
    }

    /**
     * Grows the map, doubling it, until {@code bytes} more than the pages in use fit: a transaction
     * that writes that much then does not fill the map halfway and start again. The caller holds no
     * transaction.
     */
    void reserve(long bytes) {
        while (mapSize() < usedBytes() + bytes) {
            adoptOrGrow(true);
        }
    }

    /** Doubles the map; the caller holds no transaction. */
    void grow() {
        adoptOrGrow(true);
    }

    /** Runs {@code body} in a read transaction, for callers outside this package (see {@link LmdbTxn}). */
    public <R> R inRead(Function<LmdbTxn, R> body) {
        return read(txn -> body.apply(new LmdbTxn(txn)));
    }

    /** Runs {@code body} in a write transaction and commits it, for callers outside this package. */
    public void inWrite(Consumer<LmdbTxn> body) {
        write(txn -> body.accept(new LmdbTxn(txn)));
    }

    private void adoptOrGrow(boolean grow) {
        if (gate.getReadHoldCount() > 0) {
            // This thread is inside a transaction begun further up its stack: it would wait for itself
            // to end it, forever (the lock cannot go from shared to exclusive). Say so instead.
            throw new IllegalStateException("the LMDB map in " + folder + (grow ? " is full" : " was grown by another"
                    + " process") + " while this thread holds a transaction open in it; the map can change only"
                    + " with none open, so a walk inside a transaction must not begin transactions of its own");
        }
        gate.writeLock().lock();
        try {
            if (grow) {
                mapSize = mapSize * 2;
                env.setMapSize(mapSize);
            } else {
                env.setMapSize(0);
                mapSize = env.info().mapSize;
            }
        } finally {
            gate.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        gate.writeLock().lock();
        try {
            closed = true;
            env.close();
        } finally {
            gate.writeLock().unlock();
        }
    }
}
