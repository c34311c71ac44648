package dev.strata.core.store;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobType;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.Hex;
import dev.strata.core.id.PackId;
import dev.strata.core.index.IndexBuild;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.index.PackRecord;
import dev.strata.core.index.PackSetDigest;
import dev.strata.core.pack.IndexFile;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackSalvage;
import dev.strata.core.pack.PackSalvager;
import dev.strata.core.pack.PackTable;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Brings the index in line with the packs in the backend (docs/format.md §9): packs it does not know
 * are added from the index files that describe them (§9.1) when there are many, else by reading their
 * tables; packs that are gone are kept as lost, and a known pack whose size changed is salvaged. A pack
 * whose table cannot be read is salvaged (§5.3): every entry that still authenticates is indexed, and
 * the report says what was lost. Thread-safe.
 */
public final class IndexSynchronizer {
    /**
     * Below this many unknown packs their tables are read: cheaper than reading index files that
     * mostly describe packs the index knows already.
     */
    static final int INDEX_FILES_FROM = 32;
    private static final int INDEX_FILE_READERS = 8;
    private static final int PACKS_PER_TRANSACTION = 20_000;
    private static final int FILES_PER_TRANSACTION = 2_000;
    private static final int TABLES_PER_TRANSACTION = 1_000;
    private final Backend backend;
    private final LmdbIndex index;
    private final PackReader packs;
    private final PackSalvager salvager;
    private final Aes256GcmCipher dataCipher;
    private final boolean bulkBuild;

    public IndexSynchronizer(Backend backend, LmdbIndex index, PackReader packs, PackSalvager salvager,
                             Aes256GcmCipher dataCipher) {
        this(backend, index, packs, salvager, dataCipher, true);
    }

    /** {@code bulkBuild} false: an empty index too takes its packs many at a time (tests compare both). */
    IndexSynchronizer(Backend backend, LmdbIndex index, PackReader packs, PackSalvager salvager,
                      Aes256GcmCipher dataCipher, boolean bulkBuild) {
        this.bulkBuild = bulkBuild;
        this.backend = backend;
        this.index = index;
        this.packs = packs;
        this.salvager = salvager;
        this.dataCipher = dataCipher;
    }

    /** What a synchronisation changed, and the packs it had to salvage. */
    public record Report(int added, int removed, List<PackSalvage> salvaged) {
        public Report {
            salvaged = List.copyOf(salvaged);
        }

        /** One line per salvaged pack: what was wrong, what was kept, what was lost. */
        public List<String> damaged() {
            return salvaged.stream().map(PackSalvage::describe).toList();
        }
    }

    public Report synchronize() throws IOException {
        return synchronize(Map.of(), true);
    }

    private Report synchronize(Map<PackId, List<PackEntry>> hints, boolean indexFiles) throws IOException {
        // The index's digest of its packs first: when the listing has the same packs with the same
        // sizes there is nothing to add, lose or salvage, and the records (hundreds of thousands, spread
        // over the index file) need not be read. Read before listing, as below.
        Optional<PackSetDigest> indexed = index.packSet();
        if (indexed.isPresent() && indexed.get().equals(digestOf(backend.list(BlobType.PACK)))) {
            return new Report(0, 0, List.of());
        }
        Report report = compare(hints, indexFiles);
        if (indexed.isEmpty() || (report.added() == 0 && report.removed() == 0 && report.salvaged().isEmpty())) {
            // The digest was missing, or out of step although nothing changed: make it from the records.
            index.resetPackSet();
        }
        return report;
    }

    private static PackSetDigest digestOf(List<BlobInfo> listed) {
        PackSetDigest d = new PackSetDigest();
        for (BlobInfo info : listed) {
            d.add(PackId.parse(info.name().name()), info.size());
        }
        return d;
    }

    /** Compares the listing with every pack record and brings the index in line. */
    private Report compare(Map<PackId, List<PackEntry>> hints, boolean indexFiles) throws IOException {
        // Read the index before listing: a pack indexed after this point was stored before it was
        // indexed, so it shows up in the listing and is never mistaken for a deleted one.
        Map<PackId, PackRecord> known = index.packs();
        List<BlobInfo> listed = backend.list(BlobType.PACK);
        Set<PackId> present = new HashSet<>();
        Map<PackId, Long> unknown = new HashMap<>();
        for (BlobInfo info : listed) {
            PackId id = PackId.parse(info.name().name());
            present.add(id);
            if (!known.containsKey(id)) {
                unknown.put(id, info.size());
            }
        }
        int added = 0;
        if (indexFiles && unknown.size() >= INDEX_FILES_FROM) {
            added += readIndexFiles(unknown);
        }
        List<Salvage> toSalvage = new ArrayList<>();
        List<PackId> toRead = new ArrayList<>();
        for (BlobInfo info : listed) {
            PackId id = PackId.parse(info.name().name());
            PackRecord record = known.get(id);
            if (record == null) {
                if (unknown.containsKey(id)) {
                    toRead.add(id);
                }
            } else if (record.size() != info.size()) {
                // Packs never change: one that did was cut short or replaced. Keep what still reads.
                toSalvage.add(new Salvage(id, index.entries(id), true));
            }
        }
        added += readTables(toRead, hints, toSalvage);
        List<PackSalvage> salvaged = salvageAll(toSalvage);
        Set<PackId> gone = new HashSet<>(known.keySet());
        gone.removeAll(present);
        // Not deleted through this index (that would have forgotten them): keep what they held as lost.
        index.losePacks(gone);
        return new Report(added, gone.size(), salvaged);
    }

    private record Salvage(PackId id, List<PackEntry> expected, boolean replace) {
    }

    /** A pack's table as read: the table, or damaged (to salvage), or neither (deleted meanwhile). */
    private record TableRead(PackTable table, boolean damaged) {
    }

    /**
     * Reads the tables of {@code ids} side by side and adds them to the index many at a time; a pack
     * whose table cannot be read goes to {@code toSalvage}, one deleted meanwhile is passed over.
     * Returns how many packs were read or are to be salvaged.
     */
    private int readTables(List<PackId> ids, Map<PackId, List<PackEntry>> hints, List<Salvage> toSalvage)
            throws IOException {
        if (ids.isEmpty()) {
            return 0;
        }
        int added = 0;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(ids.size(), INDEX_FILE_READERS), r -> {
            Thread t = new Thread(r, "strata-pack-tables");
            t.setDaemon(true);
            return t;
        });
        try {
            java.util.ArrayDeque<Future<TableRead>> ahead = new java.util.ArrayDeque<>();
            int next = 0;
            List<PackTable> batch = new ArrayList<>();
            for (PackId id : ids) {
                while (next < ids.size() && ahead.size() < 4 * INDEX_FILE_READERS) {
                    PackId p = ids.get(next++);
                    ahead.add(pool.submit(() -> {
                        try {
                            return new TableRead(packs.readTable(p), false);
                        } catch (CorruptDataException e) {
                            return new TableRead(null, true);
                        } catch (NoSuchFileException deletedMeanwhile) {
                            return new TableRead(null, false);
                        }
                    }));
                }
                TableRead read = TaskResults.await(ahead.poll());
                if (read.damaged()) {
                    added++;
                    toSalvage.add(new Salvage(id, hints.getOrDefault(id, List.of()), false));
                } else if (read.table() != null) {
                    added++;
                    batch.add(read.table());
                    if (batch.size() >= TABLES_PER_TRANSACTION) {
                        index.addPacks(batch);
                        batch.clear();
                    }
                }
            }
            index.addPacks(batch);
        } finally {
            pool.shutdownNow();
        }
        return added;
    }

    /**
     * Adds the packs of {@code unknown} (pack id to listed size) that the index files not read yet
     * describe with the same size, and removes them from {@code unknown}. The index files are listed
     * after the packs: a file names packs stored before it, so every pack it names is in the listing
     * unless prune deleted it since. A damaged index file is passed over; its packs' tables are read.
     * An empty index (a new or discarded cache) is built in one go ({@link IndexBuild}); another takes
     * the packs many at a time (each transaction is a disk sync).
     */
    private int readIndexFiles(Map<PackId, Long> unknown) throws IOException {
        List<BlobInfo> files = new ArrayList<>();
        for (BlobInfo info : backend.list(BlobType.INDEX)) {
            if (info.size() <= IndexFile.MAX_BYTES && !index.hasReadIndexFile(Hex.decode(info.name().name()))) {
                files.add(info);
            }
        }
        if (files.isEmpty()) {
            return 0;
        }
        Optional<IndexBuild> build = bulkBuild ? index.startBuild() : Optional.empty();
        if (build.isPresent()) {
            Map<PackId, Long> wanted = new HashMap<>(unknown);
            try (IndexBuild b = build.get()) {
                readEach(files, wanted, (name, usable) -> {
                    for (PackTable t : usable) {
                        b.addPack(t);
                    }
                    b.addIndexFile(name);
                });
                if (b.commit()) {
                    unknown.keySet().retainAll(wanted.keySet());
                    return b.packs();
                }
            }
            // Another process sharing the cache filled the index meanwhile: add what it lacks.
        }
        return addEach(files, unknown);
    }

    /** Adds the packs the files describe many at a time, each transaction with the files it covers. */
    private int addEach(List<BlobInfo> files, Map<PackId, Long> unknown) throws IOException {
        int[] added = {0};
        List<byte[]> names = new ArrayList<>();
        List<PackTable> usable = new ArrayList<>();
        readEach(files, unknown, (name, described) -> {
            usable.addAll(described);
            names.add(name);
            if (usable.size() >= PACKS_PER_TRANSACTION || names.size() >= FILES_PER_TRANSACTION) {
                index.addIndexFiles(names, usable);
                added[0] += usable.size();
                names.clear();
                usable.clear();
            }
        });
        index.addIndexFiles(names, usable);
        added[0] += usable.size();
        return added[0];
    }

    /** Receives each index file read, in listing order, with the packs it describes that were wanted. */
    @FunctionalInterface
    private interface DescribedPacks {
        void file(byte[] name, List<PackTable> usable) throws IOException;
    }

    /**
     * Reads {@code files} and hands each readable one on with the packs of {@code unknown} that it
     * describes with their listed size, which leave {@code unknown} (a pack two files describe goes with
     * the first). Files are fetched side by side: object storage answers each after a round trip.
     */
    private void readEach(List<BlobInfo> files, Map<PackId, Long> unknown, DescribedPacks sink) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(files.size(), INDEX_FILE_READERS), r -> {
            Thread t = new Thread(r, "strata-index-files");
            t.setDaemon(true);
            return t;
        });
        try {
            java.util.ArrayDeque<Future<List<PackTable>>> ahead = new java.util.ArrayDeque<>();
            int next = 0;
            for (int i = 0; i < files.size(); i++) {
                while (next < files.size() && ahead.size() < 2 * INDEX_FILE_READERS) {
                    BlobInfo f = files.get(next++);
                    ahead.add(pool.submit(() -> {
                        try {
                            return IndexFile.open(dataCipher, backend.get(f.name()), f.name().name());
                        } catch (CorruptDataException | NoSuchFileException unusable) {
                            return null;
                        }
                    }));
                }
                List<PackTable> described = TaskResults.await(ahead.poll());
                if (described == null) {
                    continue;
                }
                List<PackTable> usable = new ArrayList<>();
                for (PackTable t : described) {
                    Long size = unknown.get(t.id());
                    if (size != null && size == t.size()) {
                        usable.add(t);
                        unknown.remove(t.id());
                    }
                }
                sink.file(Hex.decode(files.get(i).name().name()), usable);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Salvages packs side by side: a pack without a usable table is scanned, which takes seconds. */
    private List<PackSalvage> salvageAll(List<Salvage> jobs) throws IOException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        int threads = Math.min(jobs.size(), Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "strata-salvage");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<PackSalvage>> futures = new ArrayList<>();
            for (Salvage job : jobs) {
                futures.add(pool.submit(() -> {
                    try {
                        return salvage(job.id(), job.expected(), job.replace());
                    } catch (NoSuchFileException deletedMeanwhile) {
                        return null;
                    }
                }));
            }
            List<PackSalvage> out = new ArrayList<>();
            for (Future<PackSalvage> f : futures) {
                PackSalvage s = TaskResults.await(f);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Reads the whole pack and indexes what still authenticates; {@code expected} are the entries the
     * index had for it, tried first and recorded as damaged when they fail.
     */
    public PackSalvage salvage(PackId id, List<PackEntry> expected, boolean replace) throws IOException {
        byte[] bytes = backend.get(PackReader.blobName(id));
        PackSalvage s = salvager.salvage(id, bytes, expected);
        if (replace || !s.damaged().isEmpty()) {
            index.replaceSalvaged(id, s.type(), s.size(), s.entries(), s.damaged());
        } else {
            index.addPack(id, s.type(), s.size(), s.entries(), true);
        }
        return s;
    }

    /**
     * Forgets every pack and reads every table again (not the index files). The entries the old index had for a pack whose
     * table turns out unreadable guide its salvage, so a rebuild never loses what the index could read.
     */
    public Report rebuild() throws IOException {
        Map<PackId, List<PackEntry>> hints = new HashMap<>();
        for (BlobInfo info : backend.list(BlobType.PACK)) {
            PackId id = PackId.parse(info.name().name());
            if (!index.containsPack(id)) {
                continue;
            }
            try {
                packs.readTable(id);
            } catch (CorruptDataException e) {
                hints.put(id, index.entries(id));
            } catch (NoSuchFileException deletedMeanwhile) {
                // gone; the synchronisation below notices
            }
        }
        index.clear();
        return synchronize(hints, false);
    }
}
