package dev.strata.core.pack;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.compress.ZstdCompressor;
import dev.strata.core.crypto.MasterKey;
import dev.strata.core.id.PackId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A local repository in a folder with one seeded master key, writing packs the way the store does:
 * PackWriter into a staging folder, then {@code putFile} into the backend. Confined to one thread.
 */
final class PackFixture {
    final Path dir;
    final LocalBackend backend;
    final MasterKey key;
    final EntryCipher entryCipher;
    final PackReader reader;

    /** What was written: the finished pack and the plaintext of each chunk, in order. */
    record Written(FinishedPack pack, List<byte[]> chunks) {
        PackId id() {
            return pack.id();
        }
    }

    PackFixture(Path dir, long keySeed) throws IOException {
        this.dir = dir;
        this.backend = new LocalBackend(dir.resolve("repo"));
        backend.create();
        this.key = masterKey(keySeed);
        this.entryCipher = new EntryCipher(key.dataCipher(), new ZstdCompressor(ZstdCompressor.DEFAULT_LEVEL));
        this.reader = new PackReader(backend, entryCipher);
    }

    static MasterKey masterKey(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] secret = new byte[MasterKey.SECRET_LENGTH];
        byte[] id = new byte[MasterKey.REPOSITORY_ID_LENGTH];
        r.nextBytes(secret);
        r.nextBytes(id);
        return MasterKey.of(secret, id);
    }

    Path staging() {
        return dir.resolve("staging");
    }

    Written write(PackType type, List<byte[]> chunks) throws IOException {
        try (PackWriter w = new PackWriter(type, staging(), key.dataCipher())) {
            for (byte[] c : chunks) {
                w.add(entryCipher.seal(key.chunkIdHasher().hash(c), c, 0, c.length));
            }
            FinishedPack finished = w.finish();
            backend.putFile(PackReader.blobName(finished.id()), finished.file());
            return new Written(finished, chunks);
        }
    }

    Written write(List<byte[]> chunks) throws IOException {
        return write(PackType.DATA, chunks);
    }

    Path fileOf(PackId id) {
        return backend.root().resolve(PackReader.blobName(id).path());
    }

    byte[] bytesOf(PackId id) throws IOException {
        return Files.readAllBytes(fileOf(id));
    }

    /** Replaces the stored pack's bytes in place (bypassing the backend, as damage on disk would). */
    void overwrite(PackId id, byte[] content) throws IOException {
        Files.write(fileOf(id), content);
    }

    /** Random, text-like, all-zero and empty chunks, so packs hold both raw and zstd entries. */
    static List<byte[]> chunks(long seed, int count, int maxSize) {
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = r.nextInt(8) == 0 ? 0 : r.nextInt(maxSize + 1);
            byte[] c = new byte[size];
            switch (r.nextInt(3)) {
                case 0 -> r.nextBytes(c);
                case 1 -> {
                    byte[] text = ("chunk " + i + " of seed " + seed + " repeats itself; ")
                            .getBytes(StandardCharsets.US_ASCII);
                    for (int p = 0; p < size; p++) {
                        c[p] = text[p % text.length];
                    }
                }
                default -> { } // zeros
            }
            out.add(c);
        }
        return out;
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
