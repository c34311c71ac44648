package dev.strata.core.pack;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.compress.ZstdCompressor;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.crypto.ChunkIdHasher;
import dev.strata.core.crypto.MasterKey;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A test tool that builds a repository of many small packs quickly, to measure what a client with an
 * empty cache pays to open it: packs are assembled in memory and written straight into {@code data/}
 * without an fsync each (what a store does for real durability costs minutes at 100,000 packs), each
 * holding a few small incompressible chunks. Optionally writes index files (docs/format.md §9.1) of
 * {@code packsPerIndexFile} packs each, as writers or prune would leave them. Thread-safe (stateless).
 *
 * <pre>{@code
 * java -cp … dev.strata.core.pack.ManyPacksRepository REPO PACKS ENTRIES_PER_PACK PACKS_PER_INDEX_FILE
 * }</pre>
 * The repository's password is {@link TestRepositories#PASSWORD}.
 */
public final class ManyPacksRepository {
    private ManyPacksRepository() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        build(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        System.out.printf("built %s packs in %.1f s%n", args[1], (System.nanoTime() - t0) / 1e9);
    }

    /** Creates a repository at {@code repo} and fills it; {@code packsPerIndexFile} 0 writes no index file. */
    public static void build(Path repo, int packs, int entriesPerPack, int packsPerIndexFile) throws IOException {
        build(new LocalBackend(repo), packs, entriesPerPack, packsPerIndexFile, (name, bytes) -> {
            Path file = repo.resolve(name.path());
            try {
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * Creates a repository in {@code backend} (empty storage) and fills it, storing packs through the
     * backend, which is closed afterwards.
     */
    public static void build(dev.strata.core.backend.Backend backend, int packs, int entriesPerPack, int packsPerIndexFile)
            throws IOException {
        build(backend, packs, entriesPerPack, packsPerIndexFile, (name, bytes) -> {
            try {
                backend.put(name, bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static void build(dev.strata.core.backend.Backend backend, int packs, int entriesPerPack, int packsPerIndexFile,
                              java.util.function.BiConsumer<dev.strata.core.backend.BlobName, byte[]> store) throws IOException {
        Repository.init(backend, TestRepositories.PASSWORD.toCharArray(), TestRepositories.smallOptions(),
                java.time.Clock.systemUTC(), dev.strata.core.repo.HostIdentity.current());
        Path cache = Files.createTempDirectory("many-packs-cache");
        // Written while the repository is open: closing it closes the backend.
        try (Repository r = TestRepositories.on(backend, cache).open(null)) {
            MasterKey key = r.key();
            Aes256GcmCipher cipher = key.dataCipher();
            EntryCipher entries = new EntryCipher(cipher, new ZstdCompressor(3));
            ChunkIdHasher hasher = key.chunkIdHasher();
            int perFile = packsPerIndexFile > 0 ? packsPerIndexFile : packs;
            int files = (packs + perFile - 1) / perFile;
            IntStream.range(0, files).parallel().forEach(f -> {
                List<PackTable> described = new ArrayList<>();
                for (int p = f * perFile; p < Math.min(packs, (f + 1) * perFile); p++) {
                    described.add(writePack(store, cipher, entries, hasher, p, entriesPerPack));
                }
                if (packsPerIndexFile > 0) {
                    try {
                        backend.put(IndexFile.newName(), IndexFile.seal(cipher, described));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        }
    }

    private static PackTable writePack(java.util.function.BiConsumer<dev.strata.core.backend.BlobName, byte[]> store,
                                       Aes256GcmCipher cipher, EntryCipher entryCipher, ChunkIdHasher hasher,
                                       int seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[64 + random.nextInt(64)];
            random.nextBytes(data);
            payloads.add(data);
        }
        return writeDataPack(store, cipher, entryCipher, hasher, payloads);
    }

    /**
     * Writes one data pack in the real format holding each of {@code payloads} as a chunk, through
     * {@code store} (name, bytes), and returns its table (its entries in pack order).
     */
    public static PackTable writeDataPack(java.util.function.BiConsumer<dev.strata.core.backend.BlobName, byte[]> store,
                                          Aes256GcmCipher cipher, EntryCipher entryCipher, ChunkIdHasher hasher,
                                          List<byte[]> payloads) {
        PackId id = PackId.random();
        byte[] header = PackFormat.header(id, PackType.DATA);
        List<byte[]> envelopes = new ArrayList<>();
        List<PackEntry> list = new ArrayList<>();
        long offset = header.length;
        for (byte[] data : payloads) {
            ChunkId chunk = hasher.hash(data);
            SealedEntry e = entryCipher.seal(chunk, data, 0, data.length);
            envelopes.add(e.envelope());
            PackEntry entry = new PackEntry(chunk, offset, e.storedLength(), e.rawLength(), e.compression());
            list.add(entry);
            offset = entry.end();
        }
        byte[] table = cipher.seal(PackFormat.encodeTable(list), header);
        byte[] trailer = PackFormat.trailer(table.length);
        ByteBuffer b = ByteBuffer.allocate((int) offset + table.length + trailer.length).put(header);
        envelopes.forEach(b::put);
        b.put(table).put(trailer);
        store.accept(PackReader.blobName(id), b.array());
        return new PackTable(id, PackType.DATA, b.capacity(), list);
    }
}
