package dev.strata.core.repo;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.chunk.FastCdcChunker;
import dev.strata.core.compress.ZstdCompressor;
import dev.strata.core.crypto.KeyFile;
import dev.strata.core.crypto.MasterKey;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.NotARepositoryException;
import dev.strata.core.error.UnsupportedFormatException;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.error.WrongPasswordException;
import dev.strata.core.index.IndexCache;
import dev.strata.core.index.LmdbEnvironment;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.store.IndexSynchronizer;
import dev.strata.core.store.StoreOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open repository: its config and master key, the lock this process holds, the index cache and
 * the chunk store. The entry point every command goes through. Thread-safe.
 *
 * <p>Opening refuses, before writing anything, a location that holds no repository, a newer format
 * version and a wrong password, each with its own {@link UserFacingException}.
 */
public final class Repository implements AutoCloseable {
    /**
     * The most bytes of tree packs kept in the cache folder for a repository in remote storage. Trees
     * are a small part of a repository (a few MB per 100,000 files), so this holds every tree of most.
     */
    static final long TREE_PACK_CACHE_BYTES = 1L << 30;
    private final Backend backend;
    private final RepositoryConfig config;
    private final MasterKey key;
    private final RepositoryKeys keys;
    private final RepositoryLock lock;
    private final LmdbEnvironment lmdb;
    private final LmdbIndex index;
    private final ChunkStore store;
    private final Clock clock;
    private final HostIdentity me;
    private final IndexSynchronizer.Report openSync;
    private final String cacheRecovered;
    /** The index cache: closed with the repository, which marks a sound cache as checked. */
    private final IndexCache.Opened cache;
    private boolean closed;
    private final java.util.Map<dev.strata.core.pack.KeySpace, ChunkStore> volumeStores = new java.util.HashMap<>();

    private Repository(Backend backend, RepositoryConfig config, MasterKey key, String keyId, RepositoryLock lock,
                       IndexCache.Opened cache, Path cacheFolder, Path staging, OpenOptions options, Clock clock,
                       HostIdentity me) throws IOException {
        this.backend = backend;
        this.config = config;
        this.key = key;
        this.lock = lock;
        this.cache = cache;
        this.lmdb = cache.lmdb();
        this.cacheRecovered = cache.recovered();
        this.clock = clock;
        this.me = me;
        this.keys = new RepositoryKeys(backend, key, keyId, clock, me, options.kdf());
        this.index = cache.index();
        StoreOptions storeOptions = StoreOptions.defaults(config.dataPackSize(), config.treePackSize());
        if (options.workers() > 0) {
            storeOptions = storeOptions.withWorkers(options.workers());
        }
        if (options.chunkCacheBytes() > 0) {
            storeOptions = storeOptions.withCacheBytes(options.chunkCacheBytes());
        }
        this.store = new ChunkStore(backend, index, key, new FastCdcChunker(config.chunker(), key.gearTable()),
                new ZstdCompressor(config.compressionLevel()), staging, storeOptions);
        if (backend.stagingDirectory().isEmpty()) {
            // Remote storage (a local folder offers a staging directory): a tree read there is a request.
            store.keepTreePacks(cacheFolder.resolve("packs"), TREE_PACK_CACHE_BYTES);
        }
        boolean sync = switch (options.indexSync()) {
            case ALWAYS -> true;
            case WHEN_EMPTY -> index.knowsNoPack();
            case NEVER -> false;
        };
        this.openSync = sync ? store.synchronizer().synchronize() : new IndexSynchronizer.Report(0, 0, List.of());
        if (lock != null && lock.mode().refersToChunks()) {
            refreshCondemnations();
        }
    }

    /**
     * Lists the condemnations (docs/format.md §7.1), makes the store treat chunks only their packs
     * hold as absent, and says in this process's lock that it knows them: call it when everything this
     * process refers to outside leases is in snapshots (at open, before anything is referred to).
     * Returns the ids of the condemnations listed.
     */
    public synchronized java.util.Set<String> refreshCondemnations() throws IOException {
        List<Condemnation> all = Condemnation.list(backend, key);
        store.condemn(Condemnation.packsOf(all));
        volumeStores.values().forEach(s -> s.condemn(Condemnation.packsOf(all)));
        java.util.Set<String> ids = Condemnation.idsOf(all);
        if (lock != null && lock.mode().refersToChunks()) {
            lock.acknowledge(ids);
        }
        return ids;
    }

    /** The lock this process holds, or null when it opened the repository without one. */
    public RepositoryLock lock() {
        return lock;
    }

    /**
     * Creates a repository in empty storage: the layout, one key file for {@code password}, then the
     * config, which is written last so that a half-made repository is never taken for a whole one.
     */
    public static RepositoryConfig init(Backend backend, char[] password, RepositoryOptions options, Clock clock,
                                        HostIdentity me) throws IOException {
        RepositoryKeys.checkPassword(password);
        if (backend.exists(BlobName.CONFIG)) {
            throw new UserFacingException(ExitCode.ALREADY_EXISTS, backend.location() + " already holds a Strata repository");
        }
        backend.create();
        byte[] id = new byte[MasterKey.REPOSITORY_ID_LENGTH];
        new SecureRandom().nextBytes(id);
        MasterKey key = MasterKey.generate(id);
        RepositoryConfig config = new RepositoryConfig(id, clock.instant(), options.chunker(), options.compressionLevel(),
                options.dataPackSize(), options.treePackSize());
        RepositoryKeys.write(backend, key, password, options.kdf(), clock, me);
        backend.put(BlobName.CONFIG, config.toJson(key));
        return config;
    }

    /** Opens the repository with {@code password}. */
    public static Repository open(Backend backend, char[] password, OpenOptions options, Clock clock, HostIdentity me)
            throws IOException {
        return open(backend, readPublicConfig(backend), password, options, clock, me);
    }

    /**
     * Opens the repository whose public config the caller has read already ({@link #readPublicConfig}),
     * so that the config is not read twice (a request each in object storage).
     */
    public static Repository open(Backend backend, RepositoryConfig.Public pub, char[] password, OpenOptions options,
                                  Clock clock, HostIdentity me) throws IOException {
        Path cache = options.cacheRoot().resolve(dev.strata.core.id.Hex.encode(pub.id()));
        CacheOpening early = options.cacheWarmUp() == null ? null
                : CacheOpening.startIfPresent(cache.resolve("index"), pub.id(), clock.instant(), options.cacheWarmUp());
        RepositoryLock lock = null;
        IndexCache.Opened opened = null;
        try {
            Unlocked unlocked = unlock(backend, pub, password);
            RepositoryConfig config = RepositoryConfig.unseal(pub, unlocked.key(), backend.location());
            lock = options.lockMode() == null ? null
                    : RepositoryLock.acquire(backend, unlocked.key(), options.lockMode(), me, clock, options.lockHolder(),
                            options.lockWait());
            if (early != null) {
                CacheOpening started = early;
                early = null;
                opened = started.join();
            } else {
                opened = IndexCache.open(cache.resolve("index"), config.id(), clock.instant());
            }
            Path staging = backend.stagingDirectory().orElse(cache.resolve("staging"));
            return new Repository(backend, config, unlocked.key(), unlocked.keyId(), lock, opened, cache, staging, options,
                    clock, me);
        } catch (IOException | RuntimeException e) {
            if (early != null) {
                early.abandon();
            }
            if (opened != null) {
                opened.close();
            }
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    /** Reads the public config, refusing storage that holds no repository or a newer one. */
    public static RepositoryConfig.Public readPublicConfig(Backend backend) throws IOException {
        // One read, no existence check before it: in object storage each is a request.
        byte[] bytes;
        try {
            bytes = backend.get(BlobName.CONFIG);
        } catch (NoSuchFileException e) {
            throw notARepository(backend);
        } catch (java.nio.file.FileSystemException e) {
            // A local location whose config is no file (a folder of that name, a file where the folder should be).
            if (!backend.exists(BlobName.CONFIG)) {
                throw notARepository(backend);
            }
            throw e;
        }
        return RepositoryConfig.readPublic(bytes, backend.location());
    }

    private static NotARepositoryException notARepository(Backend backend) {
        if (backend instanceof dev.strata.core.backend.local.LocalBackend
                && !Files.exists(((dev.strata.core.backend.local.LocalBackend) backend).root())) {
            return new NotARepositoryException(backend.location() + " does not exist; create a repository there with 'strata init'");
        }
        return new NotARepositoryException(backend.location() + " is not a Strata repository (it has no config)");
    }

    private record Unlocked(MasterKey key, String keyId) {
    }

    /**
     * Tries every usable key file, cheapest first. Key files that are damaged, truncated or ask for
     * more Argon2 work than Strata accepts are not tried: if no other key file opens, the error names
     * them (damaged data, not a wrong password), since the password may have been theirs.
     */
    private static Unlocked unlock(Backend backend, RepositoryConfig.Public pub, char[] password) throws IOException {
        List<BlobInfo> keyFiles = backend.list(BlobType.KEY);
        if (keyFiles.isEmpty()) {
            throw new CorruptDataException("repository " + backend.location() + " has no key files");
        }
        List<Map.Entry<String, KeyFile>> usable = new ArrayList<>();
        List<String> unusable = new ArrayList<>();
        UnsupportedFormatException newer = null;
        for (BlobInfo info : keyFiles) {
            String name = info.name().name();
            try {
                if (info.size() > KeyFile.MAX_BYTES) {
                    throw new CorruptDataException("key file " + name + " is " + info.size()
                            + " bytes long; a key file has at most " + KeyFile.MAX_BYTES);
                }
                usable.add(Map.entry(name, KeyFile.parse(backend.get(info.name()), name)));
            } catch (CorruptDataException e) {
                unusable.add(e.getMessage());
            } catch (UnsupportedFormatException e) {
                newer = e;
            } catch (NoSuchFileException removedMeanwhile) {
                // a key removed between the listing and the read
            }
        }
        usable.sort(Comparator.comparingLong((Map.Entry<String, KeyFile> e) -> e.getValue().kdf().workKiB())
                .thenComparing(Map.Entry::getKey));
        for (Map.Entry<String, KeyFile> candidate : usable) {
            Optional<MasterKey> key = candidate.getValue().open(password, pub.id());
            if (key.isPresent()) {
                return new Unlocked(key.get(), candidate.getKey());
            }
        }
        if (!unusable.isEmpty()) {
            throw new CorruptDataException((usable.isEmpty() ? "no usable key file" : "no other key file opens with this password")
                    + " in repository " + backend.location() + ": " + String.join("; ", unusable));
        }
        if (newer != null) {
            throw newer;
        }
        throw new WrongPasswordException("wrong password for repository " + backend.location());
    }

    public Backend backend() {
        return backend;
    }

    public RepositoryConfig config() {
        return config;
    }

    public MasterKey key() {
        return key;
    }

    public RepositoryKeys keys() {
        return keys;
    }

    public ChunkStore store() {
        return store;
    }

    /**
     * The store of a volume with keys of its own (docs/format.md §2.4): its data cut and id'd under the
     * volume's keys, in packs of its key space; one per volume for the life of this repository handle,
     * which closes it. From the first call on, check and salvage recompute that volume's ids too. Keys whose
     * chunker sizes are out of bounds are refused as damaged.
     */
    public synchronized ChunkStore volumeStore(dev.strata.core.crypto.VolumeKeys volumeKeys)
            throws dev.strata.core.error.CorruptDataException {
        dev.strata.core.pack.KeySpace space = dev.strata.core.pack.KeySpace.ofVolume(volumeKeys.volumeId());
        ChunkStore s = volumeStores.get(space);
        if (s == null) {
            s = store.forVolume(volumeKeys);
            volumeStores.put(space, s);
        }
        return s;
    }

    public LmdbIndex index() {
        return index;
    }

    /** The LMDB environment of this repository's cache, for layers that keep their own tables. */
    public LmdbEnvironment lmdb() {
        return lmdb;
    }

    public Clock clock() {
        return clock;
    }

    public HostIdentity host() {
        return me;
    }

    public String location() {
        return backend.location();
    }

    /** What synchronising the index on open found (packs added, removed, salvaged). */
    public IndexSynchronizer.Report openSync() {
        return openSync;
    }

    /**
     * What opening had to repair in the local cache, one line each, for the user: a damaged index cache
     * set aside and rebuilt, packs salvaged while the index caught up with the repository.
     */
    public List<String> openNotices() {
        List<String> out = new java.util.ArrayList<>();
        if (cacheRecovered != null) {
            out.add(cacheRecovered);
        }
        openSync.damaged().forEach(d -> out.add("damaged " + d));
        return out;
    }

    /** Closes the store (unflushed chunks are abandoned), the index, the lock and the backend. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            volumeStores.values().forEach(ChunkStore::close);
            store.close();
            cache.close();
        } finally {
            try {
                if (lock != null) {
                    lock.close();
                }
            } finally {
                backend.close();
            }
        }
    }
}
