package dev.strata.core.store;

import dev.strata.core.backend.Backend;
import dev.strata.core.chunk.ChunkReader;
import dev.strata.core.chunk.Chunker;
import dev.strata.core.chunk.ChunkerParams;
import dev.strata.core.chunk.FastCdcChunker;
import dev.strata.core.chunk.ZeroDetector;
import dev.strata.core.crypto.ChunkIdHasher;
import dev.strata.core.crypto.MasterKey;
import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.MissingChunkException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.index.LostChunk;
import dev.strata.core.pack.EntryCipher;
import dev.strata.core.pack.KeySpace;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackSalvager;
import dev.strata.core.pack.PackType;
import dev.strata.core.pack.SealedEntry;
import dev.strata.core.compress.Compressor;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The deduplicating, compressed, encrypted chunk store: {@code put} bytes and get chunk ids back,
 * {@code get} a chunk by id. Streams run through a parallel pipeline (read and chunk on the calling
 * thread; zero detection, id, dedup, compression and encryption on the workers; packing and storing
 * behind them), with bounded memory whatever the input size.
 *
 * <p>Chunks become readable with {@link #get} once {@link #flush()} has returned: only then are
 * their packs durable and indexed. Thread-safe.
 */
public final class ChunkStore implements AutoCloseable {
    /** Bounds the copies one read tries, should the index keep answering with a copy it cannot mark. */
    private static final int MAX_COPIES_TRIED = 8;
    private final Backend backend;
    private final LmdbIndex index;
    private final MasterKey key;
    private final KeySpace space;
    private final Path staging;
    private final StoreOptions options;
    /** The chunk-id keys of volumes with their own, shared by the repository's store and its volumes' stores. */
    private final Map<KeySpace, ChunkIdHasher> volumeHashers;
    private final ChunkIdHasher hasher;
    private final Chunker chunker;
    private final EntryCipher entryCipher;
    private final PackReader packReader;
    private final PackSalvager salvager;
    private final PackSink sink;
    private final PutPipeline pipeline;
    private final ChunkCache cache;
    private final IndexSynchronizer synchronizer;
    private final dev.strata.core.crypto.Aes256GcmCipher dataCipher;
    /** Ids handed to a pack that is not yet indexed, so that a second put of the same bytes is a duplicate. */
    private final Set<ChunkId> pending = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<ChunkId, CompletableFuture<byte[]>> loading = new ConcurrentHashMap<>();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong holeBytes = new AtomicLong();
    private final AtomicLong chunksNew = new AtomicLong();
    private final AtomicLong chunksDuplicate = new AtomicLong();
    private final AtomicLong bytesNew = new AtomicLong();
    private final AtomicLong bytesStored = new AtomicLong();
    private final Object resyncLock = new Object();
    /** Plaintext of chunks not yet indexed, when {@link #keepPendingReadable()} asked for it; else null. */
    private volatile PendingPlain pendingPlain;
    /** Packs a prune condemned (docs/format.md §7.1): their copies do not count for deduplication. */
    private volatile Set<PackId> condemned = Set.of();
    /** Tree packs on local disk ({@link #keepTreePacks}), or null when trees are read from the backend. */
    private volatile TreePackCache treePacks;
    private long lastResyncNanos;
    private boolean closed;

    public ChunkStore(Backend backend, LmdbIndex index, MasterKey key, Chunker chunker, Compressor compressor,
                      Path staging, StoreOptions options) {
        this(backend, index, key, new EntryCipher(key.dataCipher(), compressor), KeySpace.REPOSITORY,
                key.chunkIdHasher(), chunker, null, new ConcurrentHashMap<>(), staging, options);
    }

    private ChunkStore(Backend backend, LmdbIndex index, MasterKey key, EntryCipher entryCipher, KeySpace space,
                       ChunkIdHasher hasher, Chunker chunker, PackSalvager sharedSalvager,
                       Map<KeySpace, ChunkIdHasher> volumeHashers, Path staging, StoreOptions options) {
        this.backend = backend;
        this.index = index;
        this.key = key;
        this.space = space;
        this.hasher = hasher;
        this.chunker = chunker;
        this.staging = staging;
        this.options = options;
        this.volumeHashers = volumeHashers;
        this.entryCipher = entryCipher;
        this.packReader = new PackReader(backend, entryCipher);
        this.salvager = sharedSalvager != null ? sharedSalvager
                : new PackSalvager(entryCipher, hasher, chunker::cut, chunker.params().maxSize());
        this.sink = new PackSink(backend, index, key.dataCipher(), staging, options.dataPackSize(),
                options.treePackSize(), this::indexed);
        this.pipeline = new PutPipeline(options.workers(), options.inFlightBytes());
        this.cache = new ChunkCache(options.cacheBytes());
        this.dataCipher = key.dataCipher();
        this.synchronizer = new IndexSynchronizer(backend, index, packReader, salvager, dataCipher);
    }

    /**
     * A store over the same repository, index and packs whose data is cut with a volume's own Gear table
     * and id'd under its own chunk-id key (docs/format.md §2.4), in packs of that key space, while its
     * tree objects stay under the repository's key, in tree packs as before; from now on
     * this store's verifier and salvager know the volume's key too. Call on the repository's store; the
     * caller closes the store it gets.
     */
    public ChunkStore forVolume(VolumeKeys keys) throws CorruptDataException {
        if (!space.isRepository()) {
            throw new IllegalStateException("a volume's store is made from the repository's");
        }
        KeySpace volume = KeySpace.ofVolume(keys.volumeId());
        int[] sizes = keys.chunkerSizes();
        Chunker volumeChunker;
        try {
            volumeChunker = new FastCdcChunker(new ChunkerParams(sizes[0], sizes[1], sizes[2]), keys.gearTable());
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException("the keys of volume " + keys.shortName() + " are damaged: " + e.getMessage());
        }
        volumeHashers.put(volume, keys.chunkIdHasher());
        salvager.addVolume(volume, keys.chunkIdHasher(), volumeChunker::cut, volumeChunker.params().maxSize());
        ChunkStore s = new ChunkStore(backend, index, key, entryCipher, volume, keys.chunkIdHasher(), volumeChunker,
                salvager, volumeHashers, staging, options);
        s.condemned = condemned;
        if (treePacks != null) {
            s.treePacks = treePacks;
            s.sink.keepTreePacks(treePacks);
        }
        return s;
    }

    /**
     * Tree objects are the repository's whatever the store (docs/format.md §5.1: only data packs hold
     * ids under a volume's key), so a volume's trees, content lists and history are named as any other.
     */
    private ChunkIdHasher hasherOf(PackType type) {
        return type == PackType.TREE ? key.chunkIdHasher() : hasher;
    }

    private KeySpace spaceOf(PackType type) {
        return type == PackType.TREE ? KeySpace.REPOSITORY : space;
    }

    /** The key space this store's data ids are under: the repository's, or a volume's ({@link #forVolume}). */
    public KeySpace space() {
        return space;
    }

    /**
     * From now on, chunks are readable with {@link #get} as soon as they are put, not only after
     * {@link #flush()}: their plaintext is kept until their pack is indexed. For a live volume, which
     * reads what it just wrote and flushes every few seconds (so the plaintext kept stays small) rather
     * than making a tiny pack per saved file.
     */
    public void keepPendingReadable() {
        if (pendingPlain == null) {
            pendingPlain = new PendingPlain();
        }
    }

    /**
     * From now on, tree packs are kept whole in {@code folder} (at most about {@code maxBytes}) as they are
     * stored and when one of their trees is first read, and trees are read from there: for a
     * repository in remote storage, where each tree read would be a request. The repository calls it
     * right after making the store, before anything is read or put.
     */
    public void keepTreePacks(Path folder, long maxBytes) {
        TreePackCache c = new TreePackCache(folder, maxBytes, backend, packReader);
        treePacks = c;
        sink.keepTreePacks(c);
    }

    /**
     * Whether the packs are in remote storage ({@link #keepTreePacks} was called), where each read is
     * a request and a round trip: readers of many chunks then prefer fewer, longer reads.
     */
    public boolean remote() {
        return treePacks != null;
    }

    /** How many tree packs were fetched whole into the local cache ({@link #keepTreePacks}); 0 without one. */
    public long treePacksFetched() {
        TreePackCache c = treePacks;
        return c == null ? 0 : c.fetches();
    }

    /** Bytes of plaintext kept for chunks not yet indexed (see {@link #keepPendingReadable()}). */
    public long pendingReadableBytes() {
        PendingPlain p = pendingPlain;
        return p == null ? 0 : p.bytes();
    }

    private void indexed(List<ChunkId> ids) {
        pending.removeAll(ids);
        PendingPlain p = pendingPlain;
        if (p != null) {
            ids.forEach(p::remove);
        }
    }

    public Chunker chunker() {
        return chunker;
    }

    public PackReader packReader() {
        return packReader;
    }

    /** Reads whole packs, checks every byte and marks in the index what it finds damaged. */
    public PackVerifier verifier() {
        return new PackVerifier(backend, index, packReader, salvager, s -> s.isRepository() ? repositoryHasher()
                : volumeHashers.get(s));
    }

    /** Recovers the readable entries of packs whose table is damaged (uses the data chunker's cut rule). */
    public PackSalvager salvager() {
        return salvager;
    }

    private ChunkIdHasher repositoryHasher() {
        return key.chunkIdHasher();
    }

    public LmdbIndex index() {
        return index;
    }

    /** The hasher of this store's data chunks (tree objects are always under the repository's key). */
    public ChunkIdHasher hasher() {
        return hasher;
    }

    /**
     * Whether {@code data} is the content of chunk {@code id} under this store's key, the repository's,
     * or a registered volume's ({@link #forVolume}): for checking bytes read back against a file's
     * chunk list, which does not say which key its ids are under. An HMAC under a key the data was not
     * id'd under matches only by a collision.
     */
    public boolean holdsContentOf(ChunkId id, byte[] data) {
        if (hasher.hash(data).equals(id) || key.chunkIdHasher().hash(data).equals(id)) {
            return true;
        }
        for (ChunkIdHasher h : volumeHashers.values()) {
            if (h.hash(data).equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Stores one whole blob (a tree object, a small file) as a single chunk, on the calling thread. */
    public ChunkId put(byte[] data, PackType type) throws IOException {
        ChunkId id = hasherOf(type).hash(data);
        storeIfNew(id, data, 0, data.length, type);
        bytesIn.addAndGet(data.length);
        return id;
    }

    /**
     * Reads {@code source} to its end, splits it into content-defined chunks and stores them as file
     * data. Returns the file's content in order; all-zero chunks come back as holes.
     */
    public List<ChunkRef> putStream(ReadableByteChannel source, LongConsumer progress) throws IOException {
        return putStream(new ChunkReader(chunker, source), progress);
    }

    /**
     * As {@link #putStream(ReadableByteChannel, LongConsumer)} for a source that probably holds
     * {@code expectedLength} bytes (a file's size when it was looked at): the reading buffer starts at
     * that size and grows only if the source holds more, so a file of a few hundred KiB does not cost
     * a whole reading window (4 MiB) of fresh memory.
     */
    public List<ChunkRef> putStream(ReadableByteChannel source, long expectedLength, LongConsumer progress) throws IOException {
        return putStream(ChunkReader.expecting(chunker, source, expectedLength), progress);
    }

    private List<ChunkRef> putStream(ChunkReader reader, LongConsumer progress) throws IOException {
        List<Future<ChunkRef>> futures = new ArrayList<>();
        try {
            byte[] chunk;
            while ((chunk = reader.next()) != null) {
                byte[] bytes = chunk;
                futures.add(pipeline.submit(bytes.length, () -> storeDataChunk(bytes)));
                progress.accept(bytes.length);
            }
        } catch (IOException | RuntimeException e) {
            futures.forEach(f -> f.cancel(false));
            throw e;
        }
        List<ChunkRef> refs = new ArrayList<>(futures.size());
        for (Future<ChunkRef> f : futures) {
            refs.add(TaskResults.await(f));
        }
        return refs;
    }

    public List<ChunkRef> putStream(ReadableByteChannel source) throws IOException {
        return putStream(source, n -> { });
    }

    /** Stores one piece of file data that the caller has already cut (images cut at their own boundaries). */
    public ChunkRef putDataChunk(byte[] chunk) throws IOException {
        return storeDataChunk(chunk);
    }

    private ChunkRef storeDataChunk(byte[] chunk) throws IOException {
        bytesIn.addAndGet(chunk.length);
        if (ZeroDetector.isAllZero(chunk, 0, chunk.length)) {
            holeBytes.addAndGet(chunk.length);
            return ChunkRef.hole(chunk.length);
        }
        ChunkId id = hasher.hash(chunk);
        storeIfNew(id, chunk, 0, chunk.length, PackType.DATA);
        return ChunkRef.chunk(id, chunk.length);
    }

    private void storeIfNew(ChunkId id, byte[] data, int offset, int length, PackType type) throws IOException {
        storeIfNew(id, type, length, () -> Arrays.copyOfRange(data, offset, offset + length),
                () -> entryCipher.seal(id, data, offset, length));
    }

    /**
     * Stores a data chunk that arrives in its stored form (a peer's pack entry, docs/sync.md "Chunks as
     * they are stored"), sealing {@code stored}'s payload as it is, without compressing it again. The
     * caller has decoded the payload to {@code plain} and checked that {@code plain} is the content of
     * {@code id} under this store's key: nothing here looks at the payload.
     */
    public void putStored(ChunkId id, byte[] plain, StoredChunk stored) throws IOException {
        if (plain.length != stored.rawLength()) {
            throw new IllegalArgumentException("a chunk of " + plain.length + " bytes given as one of " + stored.rawLength());
        }
        storeIfNew(id, PackType.DATA, plain.length, () -> plain,
                () -> entryCipher.sealStored(id, stored.compression(), stored.rawLength(), stored.payload()));
        bytesIn.addAndGet(plain.length);
    }

    private void storeIfNew(ChunkId id, PackType type, int length, java.util.function.Supplier<byte[]> plainCopy,
                            java.util.function.Supplier<SealedEntry> sealer) throws IOException {
        // Claim the id first, then ask the index: a pack is indexed before its ids leave the pending
        // set, so one of the two always sees an earlier put (the other order let a put slip between).
        PendingPlain plain = pendingPlain;
        if (plain != null && !plain.contains(id)) {
            // Before the claim: a put that finds the id claimed returns at once, and its caller may
            // read the chunk straight away.
            plain.put(id, plainCopy.get());
        }
        if (!pending.add(id)) {
            chunksDuplicate.incrementAndGet();
            return;
        }
        if (index.containsOutside(id, condemned)) {
            pending.remove(id);
            if (plain != null) {
                plain.remove(id);
            }
            chunksDuplicate.incrementAndGet();
            return;
        }
        try {
            SealedEntry sealed = sealer.get();
            sink.append(type, spaceOf(type), sealed);
            chunksNew.incrementAndGet();
            bytesNew.addAndGet(length);
            bytesStored.addAndGet(sealed.storedLength());
        } catch (IOException | RuntimeException e) {
            pending.remove(id);
            if (plain != null) {
                plain.remove(id);
            }
            throw e;
        }
    }

    /**
     * Appends an entry that is already sealed (read from another pack) to a new pack of {@code type},
     * without a dedup check: prune uses it to move live chunks out of packs it will delete.
     */
    public void putSealed(SealedEntry entry, PackType type) throws IOException {
        sink.append(type, entry);
    }

    /** As {@link #putSealed(SealedEntry, PackType)}, into a pack of the entry's own key space. */
    public void putSealed(SealedEntry entry, PackType type, KeySpace entrySpace) throws IOException {
        sink.append(type, entrySpace, entry);
    }

    /**
     * From now on a chunk whose every copy is in one of {@code packs} counts as absent, so a put
     * stores it again instead of referring to a copy that prune is about to delete.
     */
    public void condemn(Set<PackId> packs) {
        condemned = Set.copyOf(packs);
    }

    /** Makes everything put so far durable and indexed. */
    public void flush() throws IOException {
        sink.flush();
    }

    /**
     * Whether a reference to the chunk is safe to write: it is indexed outside condemned packs, or
     * was put and is on its way into a pack.
     */
    public boolean contains(ChunkId id) {
        return index.containsOutside(id, condemned) || pending.contains(id);
    }

    /**
     * The chunk's plaintext, authenticated. The array may be shared with other readers: do not modify
     * it. Fails with {@link MissingChunkException} when no pack holds it and with
     * {@link dev.strata.core.error.CorruptDataException} (naming the pack) when its bytes are damaged.
     */
    public byte[] get(ChunkId id) throws IOException {
        return get(id, true);
    }

    /**
     * The chunk's plaintext as {@link #get} reads it, from the chunk cache when it is there, but not
     * added to it: for reads that take a few bytes of many chunks once (the metadata of a filesystem
     * inside an image), which would otherwise push out the chunks files are being read from and keep
     * the heap full of chunks no one reads again.
     */
    public byte[] getUncached(ChunkId id) throws IOException {
        return get(id, false);
    }

    private byte[] get(ChunkId id, boolean keep) throws IOException {
        byte[] cached = cache.get(id);
        if (cached != null) {
            return cached;
        }
        PendingPlain plain = pendingPlain;
        if (plain != null) {
            byte[] unflushed = plain.get(id);
            if (unflushed != null) {
                return unflushed;
            }
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> theirs = loading.putIfAbsent(id, mine);
        if (theirs != null) {
            return TaskResults.await(theirs);
        }
        try {
            byte[] data = load(id);
            if (keep) {
                cache.put(id, data);
            }
            mine.complete(data);
            return data;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(id);
        }
    }

    /** Bytes of decoded chunks the chunk cache holds now. */
    public long cachedBytes() {
        return cache.bytes();
    }

    /**
     * The chunk as its pack entry keeps it, authenticated but not decompressed: for sending it to a
     * peer in that form. A chunk not in a pack yet, or whose stored copy cannot be read (damaged,
     * missing), comes as {@link #get} reads it, as its plaintext; the chunk cache is asked, not filled.
     */
    public StoredChunk getStored(ChunkId id) throws IOException {
        byte[] cached = cache.get(id);
        if (cached != null) {
            return StoredChunk.plain(cached);
        }
        PendingPlain plain = pendingPlain;
        byte[] unflushed = plain == null ? null : plain.get(id);
        if (unflushed != null) {
            return StoredChunk.plain(unflushed);
        }
        Optional<ChunkLocation> found = locate(id);
        if (found.isPresent()) {
            ChunkLocation loc = found.get();
            try {
                byte[] payload = packReader.readStored(loc.pack(), loc.entry());
                return new StoredChunk(loc.entry().compression(), loc.entry().rawLength(), payload);
            } catch (CorruptDataException | NoSuchFileException e) {
                // get() reads it again the careful way: marks the copy, tries the others, says why not.
            }
        }
        return StoredChunk.plain(get(id));
    }

    /** Where {@link #getRun} hands the chunks of a run: on the reading thread, in the entries' order. */
    public interface RunSink {
        /** The chunk's plaintext, authenticated. The array may be shared with other readers: do not modify it. */
        void chunk(ChunkId id, byte[] plain);

        /** No copy of the chunk could be read: it is missing or damaged, as {@link #get} would have failed. */
        void failed(ChunkId id, IOException why);
    }

    /** How many times a run's stream that broke is opened again from where it broke. */
    static final int RUN_REOPENS = 2;

    /**
     * Reads entries of one pack with one ranged read, from the first one's start to the last one's end
     * (the bytes between them too), as a stream, and hands each chunk's plaintext to {@code sink} in
     * order: for restores, which read each pack once and write its chunks wherever they are needed.
     * Entries must be sorted by offset; only one entry is held at a time, so a run may span a whole
     * pack. A stream that breaks is opened again from the entry it broke in (at most
     * {@link #RUN_REOPENS} times); an entry that cannot be had from the stream (the pack missing,
     * damaged bytes, an entry out of order) is read as {@link #get} reads it, which tries other copies
     * and marks damage in the index; what that cannot read either goes to {@code sink.failed}. The
     * chunk cache is neither asked nor filled.
     */
    public void getRun(PackId pack, List<PackEntry> entries, RunSink sink) {
        int next = 0;
        int reopens = 0;
        while (next < entries.size() && reopens <= RUN_REOPENS) {
            long from = entries.get(next).offset();
            long to = entries.get(entries.size() - 1).end();
            try (java.io.InputStream in = packReader.openRange(pack, from, to - from)) {
                long at = from;
                while (next < entries.size()) {
                    PackEntry e = entries.get(next);
                    if (e.offset() < at) {
                        deliverAlone(e, sink);
                        next++;
                        continue;
                    }
                    in.skipNBytes(e.offset() - at);
                    byte[] envelope = in.readNBytes(e.storedLength());
                    if (envelope.length < e.storedLength()) {
                        throw new java.io.EOFException("pack " + pack.shortString() + " ends inside chunk " + e.id().shortString());
                    }
                    at = e.end();
                    byte[] plain;
                    try {
                        plain = packReader.openEntry(pack, e, envelope, 0);
                    } catch (CorruptDataException damaged) {
                        // get() reads it again, tries another copy and marks this one damaged.
                        deliverAlone(e, sink);
                        next++;
                        continue;
                    }
                    next++;
                    sink.chunk(e.id(), plain);
                }
            } catch (java.nio.file.NoSuchFileException missing) {
                // Each entry is read on its own, which looks for other copies and says why.
                break;
            } catch (IOException broken) {
                // A transfer that broke: opened again from the entry it broke in, a few times.
                reopens++;
            }
        }
        for (; next < entries.size(); next++) {
            deliverAlone(entries.get(next), sink);
        }
    }

    private void deliverAlone(PackEntry e, RunSink sink) {
        byte[] plain;
        try {
            plain = get(e.id());
        } catch (IOException why) {
            sink.failed(e.id(), why);
            return;
        }
        sink.chunk(e.id(), plain);
    }

    /** Where the index says the chunk is, after one resynchronisation if it does not know it yet. */
    public Optional<ChunkLocation> locate(ChunkId id) throws IOException {
        Optional<ChunkLocation> loc = index.lookup(id);
        if (loc.isEmpty() && resyncIfStale()) {
            loc = index.lookup(id);
        }
        return loc;
    }

    /**
     * Reads the first usable copy. A copy that fails authentication is marked damaged in the index, so
     * that the next backup stores the chunk again, and another copy is tried if there is one. With no
     * usable copy left, copies marked damaged before are read once more: a misread must not condemn a
     * chunk for good, so one that now authenticates is usable again.
     */
    private byte[] load(ChunkId id) throws IOException {
        for (int copies = 0; copies < MAX_COPIES_TRIED; copies++) {
            Optional<ChunkLocation> found = locate(id);
            if (found.isEmpty()) {
                break;
            }
            ChunkLocation loc = found.get();
            try {
                TreePackCache trees = treePacks;
                return trees != null && loc.type() == PackType.TREE ? trees.readChunk(loc.pack(), loc.entry())
                        : packReader.readChunk(loc.pack(), loc.entry());
            } catch (CorruptDataException e) {
                index.markDamaged(loc);
            } catch (NoSuchFileException e) {
                // Deleted behind the index's back (lost, or pruned elsewhere): keep it as missing.
                index.losePacks(Set.of(loc.pack()));
            }
        }
        IOException why = null;
        for (LostChunk l : index.lost(id)) {
            if (l.reason() != LostChunk.Reason.DAMAGED) {
                why = why != null ? why : new MissingChunkException("chunk " + id.shortString() + " was in pack "
                        + l.location().pack() + ", which is missing from the repository");
                continue;
            }
            try {
                byte[] data = packReader.readChunk(l.location().pack(), l.location().entry());
                index.recover(List.of(l));
                return data;
            } catch (CorruptDataException e) {
                why = e;
            } catch (NoSuchFileException e) {
                why = new MissingChunkException("chunk " + id.shortString() + " was in pack "
                        + l.location().pack() + ", which is missing from the repository");
            }
        }
        throw why != null ? why : new MissingChunkException("chunk " + id.shortString() + " is in no pack of the repository");
    }

    /** Another process may have stored packs since the index was synchronised; look at most once a second. */
    private boolean resyncIfStale() throws IOException {
        synchronized (resyncLock) {
            long now = System.nanoTime();
            if (lastResyncNanos != 0 && now - lastResyncNanos < 1_000_000_000L) {
                return false;
            }
            lastResyncNanos = now;
            return synchronizer.synchronize().added() > 0;
        }
    }

    public IndexSynchronizer synchronizer() {
        return synchronizer;
    }

    /** Replaces the repository's index files by a few that describe every pack present (prune runs it). */
    public IndexFileRewriter indexFileRewriter() {
        return new IndexFileRewriter(backend, index, synchronizer, dataCipher);
    }

    public PutStats stats() {
        return new PutStats(bytesIn.get(), holeBytes.get(), chunksNew.get(), chunksDuplicate.get(), bytesNew.get(), bytesStored.get());
    }

    /** Stops the workers. Chunks not yet flushed are abandoned: nothing refers to them. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pipeline.close();
        sink.close();
    }
}
