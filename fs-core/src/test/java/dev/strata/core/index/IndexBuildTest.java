package dev.strata.core.index;

import dev.strata.core.compress.CompressionCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.Hex;
import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link IndexBuild}: an empty index built in one transaction holds, byte for byte, what adding the
 * same index files' packs one transaction at a time holds; a build that fails while it writes leaves
 * the index empty, and one whose index was filled meanwhile writes nothing.
 */
class IndexBuildTest {
    static final byte[] REPO = new byte[16];
    private static final String[] TABLES = {"meta", "packs", "packnos", "chunks", "indexfiles", "lost"};

    @TempDir
    Path dir;

    /** One index file: its name and the packs it describes. */
    record File(byte[] name, List<PackTable> packs) {
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * Twelve index files of five packs each, of 40 entries: chunk ids drawn from a small pool, so many
     * are in several packs; a few ids start with bytes above 0x7f (the order is unsigned); the last two
     * files describe packs of earlier files again (a rewritten file beside those it replaced); one
     * pack lists an entry twice.
     */
    private static List<File> files() {
        return files(10, 5, 40, 900);
    }

    /** As {@link #files()}: {@code count} files and two more, of packs drawn from {@code pool} chunk ids. */
    static List<File> files(int count, int packsPerFile, int entriesPerPack, int poolSize) {
        Random random = new Random(11);
        List<ChunkId> pool = new ArrayList<>();
        for (int i = 0; i < poolSize; i++) {
            byte[] id = bytes(random, 32);
            if (i % 5 == 0) {
                id[0] = (byte) 0xf0;
            }
            pool.add(ChunkId.of(id));
        }
        List<File> files = new ArrayList<>();
        List<PackTable> all = new ArrayList<>();
        for (int f = 0; f < count; f++) {
            List<PackTable> packs = new ArrayList<>();
            for (int p = 0; p < packsPerFile; p++) {
                List<PackEntry> entries = new ArrayList<>();
                long offset = 4096;
                for (int e = 0; e < entriesPerPack; e++) {
                    int stored = 100 + random.nextInt(5000);
                    entries.add(new PackEntry(pool.get(random.nextInt(pool.size())), offset, stored, stored + 7,
                            CompressionCode.ZSTD));
                    offset += stored;
                }
                if (f == 3 && p == 2) {
                    entries.add(entries.get(7));
                }
                PackType type = p == 4 ? PackType.TREE : PackType.DATA;
                packs.add(new PackTable(PackId.of(bytes(random, 32)), type, offset + 64, entries));
            }
            all.addAll(packs);
            files.add(new File(bytes(random, 32), packs));
        }
        files.add(new File(bytes(random, 32), List.of(all.get(3), all.get(17), all.get(all.size() - 10))));
        files.add(new File(bytes(random, 32), all.subList(20, 30)));
        return files;
    }

    /** Every table of the index, entry by entry in LMDB's order, as hex. */
    static List<String> dump(LmdbIndex index) {
        LmdbEnvironment lmdb = index.environment();
        List<String> out = new ArrayList<>();
        for (String name : TABLES) {
            Dbi<byte[]> dbi = lmdb.table(name, name.equals("chunks"));
            lmdb.read(txn -> {
                try (CursorIterable<byte[]> it = dbi.iterate(txn)) {
                    for (CursorIterable.KeyVal<byte[]> kv : it) {
                        out.add(name + " " + Hex.encode(kv.key()) + " " + Hex.encode(kv.val()));
                    }
                }
                return null;
            });
        }
        return out;
    }

    /** The index files added two at a time, as the synchronizer adds them when a cache holds packs. */
    static List<String> incremental(Path folder, List<File> files) throws IOException {
        try (LmdbIndex index = LmdbIndex.open(folder, REPO)) {
            for (int i = 0; i < files.size(); i += 2) {
                List<byte[]> names = new ArrayList<>();
                List<PackTable> packs = new ArrayList<>();
                for (File f : files.subList(i, Math.min(files.size(), i + 2))) {
                    names.add(f.name());
                    packs.addAll(f.packs());
                }
                index.addIndexFiles(names, packs);
            }
            return dump(index);
        }
    }

    private static IndexBuild started(LmdbIndex index, List<File> files) throws IOException {
        return started(index, files, 97);
    }

    static IndexBuild started(LmdbIndex index, List<File> files, int bufferRecords) throws IOException {
        IndexBuild build = index.startBuild(bufferRecords).orElseThrow();
        for (File f : files) {
            for (PackTable t : f.packs()) {
                build.addPack(t);
            }
            build.addIndexFile(f.name());
        }
        return build;
    }

    private static List<Path> runs(LmdbIndex index) throws IOException {
        Path runs = index.environment().folder().resolve(LmdbEnvironment.RUN_FOLDERS);
        if (!Files.exists(runs)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(runs)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void aBuild_holdsByteForByteWhatAddingTheFilesOneTransactionAtATimeHolds() throws IOException {
        List<File> files = files();
        List<String> expected = incremental(dir.resolve("incremental"), files);
        try (LmdbIndex index = LmdbIndex.open(dir.resolve("built"), REPO)) {
            try (IndexBuild build = started(index, files)) {
                assertThat(runs(index)).as("spilled in sorted runs").hasSizeGreaterThan(10);
                assertThat(build.commit()).isTrue();
            }
            assertThat(runs(index)).isEmpty();
            assertThat(dump(index)).isEqualTo(expected);
            assertThat(index.verify()).isNull();
            assertThat(index.startBuild()).as("no second build of a full index").isEmpty();
        }
        assertThat(expected.stream().filter(l -> l.startsWith("chunks ")).map(l -> l.split(" ")[1]).distinct().count())
                .as("chunks in several packs").isLessThan(expected.stream().filter(l -> l.startsWith("chunks ")).count());
    }

    /** {@code cut}: how many bytes of the chosen run are kept. */
    @ParameterizedTest
    @ValueSource(ints = {0, 3, 2000})
    void aBuildThatFailsWhileItWrites_leavesTheIndexEmpty_andTheNextBuildIsWhole(int cut) throws IOException {
        List<File> files = files();
        List<String> expected = incremental(dir.resolve("incremental"), files);
        Path folder = dir.resolve("built");
        List<String> empty;
        try (LmdbIndex index = LmdbIndex.open(folder, REPO)) {
            empty = dump(index);
            try (IndexBuild build = started(index, files)) {
                List<Path> runs = runs(index);
                // A run cut short fails the merge at that point of the write: at its start, or partway.
                Path victim = runs.get(cut == 0 ? 0 : runs.size() / 2);
                try (FileChannel ch = FileChannel.open(victim, StandardOpenOption.WRITE)) {
                    ch.truncate(cut);
                }
                assertThatThrownBy(build::commit).isInstanceOf(IOException.class);
            }
            assertThat(dump(index)).as("nothing of the build committed").isEqualTo(empty);
            assertThat(runs(index)).isEmpty();
        }
        try (LmdbIndex index = LmdbIndex.open(folder, REPO)) {
            try (IndexBuild build = started(index, files)) {
                assertThat(build.commit()).isTrue();
            }
            assertThat(dump(index)).isEqualTo(expected);
        }
    }

    @Test
    void aBuildWhoseIndexWasFilledMeanwhile_writesNothing() throws IOException {
        List<File> files = files();
        try (LmdbIndex index = LmdbIndex.open(dir.resolve("built"), REPO)) {
            List<String> filled;
            try (IndexBuild build = started(index, files)) {
                PackTable other = files.get(4).packs().get(1);
                index.addPack(other.id(), other.type(), other.size(), other.entries());
                filled = dump(index);
                assertThat(build.commit()).isFalse();
            }
            assertThat(dump(index)).isEqualTo(filled);
        }
    }

    @Test
    void anIndexWithLostCopiesOnly_isNotBuiltInOneGo() throws IOException {
        try (LmdbIndex index = LmdbIndex.open(dir.resolve("built"), REPO)) {
            PackTable t = files().get(0).packs().get(0);
            index.addPack(t.id(), t.type(), t.size(), t.entries());
            index.markDamaged(new ChunkLocation(t.id(), t.type(), t.entries().get(0)));
            index.clear();
            assertThat(index.packs()).isEmpty();
            // Adding the pack again one transaction at a time keeps its damaged copy out; a build would not look.
            assertThat(index.startBuild()).isEmpty();
        }
    }
}
