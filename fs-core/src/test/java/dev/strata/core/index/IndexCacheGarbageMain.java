package dev.strata.core.index;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackType;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The other process of {@link IndexCacheGarbageTest}: builds one index cache (with chunks stored
 * once, a few times and hundreds of times, so that LMDB keeps duplicates in nodes, in sub-pages and in
 * trees of their own), then for each seed garbles a copy of it the way the torture test does (eight
 * half pages of random bytes at random places past the meta pages), opens it through
 * {@link IndexCache} and uses it: a walk, lookups and a new pack. LMDB aborts the process on some
 * garbage it maps, so this runs apart from the test JVM; it prints {@code SEED n} before each seed, so
 * a crash names its seed, and {@code OK <seeds> <set aside>} at the end.
 *
 * <p>Arguments: folder, first seed, seed count.
 */
public final class IndexCacheGarbageMain {
    private static final byte[] REPO = new byte[16];
    private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");
    private static final int PAGE = 4096;

    private IndexCacheGarbageMain() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        int seeds = Integer.parseInt(args[2]);
        Path pristine = folder.resolve("pristine");
        List<ChunkId> ids = build(pristine);
        IndexCache.Opened sound = IndexCache.open(pristine, REPO, NOW);
        sound.lmdb().close();
        if (sound.recovered() != null) {
            System.out.println("SOUND CACHE SET ASIDE " + sound.recovered());
            System.exit(2);
        }
        int setAside = 0;
        for (long seed = first; seed < first + seeds; seed++) {
            System.out.println("SEED " + seed);
            Path copy = folder.resolve("seed-" + seed).resolve("index");
            Files.createDirectories(copy);
            Files.copy(pristine.resolve("data.mdb"), copy.resolve("data.mdb"), StandardCopyOption.REPLACE_EXISTING);
            garble(copy.resolve("data.mdb"), seed);
            IndexCache.Opened o = IndexCache.open(copy, REPO, NOW);
            try {
                if (o.recovered() != null) {
                    setAside++;
                }
                o.index().forEachLocation(location -> { });
                for (ChunkId id : ids) {
                    o.index().lookup(id);
                }
                o.index().addPack(PackId.random(), PackType.DATA, 1000, List.of(
                        new PackEntry(ids.get(0), 48, 128, 100, CompressionCode.NONE)));
            } finally {
                o.lmdb().close();
            }
            try (Stream<Path> walk = Files.walk(folder.resolve("seed-" + seed))) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println("OK " + seeds + " " + setAside);
    }

    private static List<ChunkId> build(Path folder) throws Exception {
        IndexCache.Opened o = IndexCache.open(folder, REPO, NOW);
        List<ChunkId> ids = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(7);
        try {
            for (int p = 0; p < 300; p++) {
                List<PackEntry> entries = new ArrayList<>();
                long offset = 48;
                for (int i = 0; i < 60; i++) {
                    ChunkId id;
                    if (i == 0) {
                        id = idOf(0);                 // one chunk in every pack: a tree of duplicates
                    } else if (i == 1 && p % 3 == 0) {
                        id = idOf(1 + p / 30);        // a few chunks in several packs: sub-pages
                    } else {
                        byte[] b = new byte[32];
                        r.nextBytes(b);
                        id = ChunkId.of(b);
                    }
                    entries.add(new PackEntry(id, offset, 1028, 1000, CompressionCode.NONE));
                    offset += 1028;
                    if (p % 10 == 0) {
                        ids.add(id);
                    }
                }
                o.index().addPack(PackId.random(), PackType.DATA, offset + 100, entries);
            }
        } finally {
            o.lmdb().close();
        }
        return ids;
    }

    private static ChunkId idOf(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        b[31] = 1;
        return ChunkId.of(b);
    }

    private static void garble(Path file, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long pages = f.length() / PAGE;
            byte[] junk = new byte[PAGE / 2];
            for (int i = 0; i < 8; i++) {
                r.nextBytes(junk);
                f.seek(r.nextLong(2, pages) * PAGE + r.nextInt(PAGE / 2));
                f.write(junk);
            }
        }
    }
}
