package dev.strata.cli.scale;

import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.compress.ZstdCompressor;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.crypto.ChunkIdHasher;
import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.EntryCipher;
import dev.strata.core.pack.IndexFile;
import dev.strata.core.pack.ManyPacksRepository;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackTable;
import dev.strata.core.repo.HostIdentity;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.OpenOptions;
import dev.strata.core.repo.Repository;
import dev.strata.core.repo.RepositoryOptions;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Tree;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotId;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.SnapshotSummary;
import dev.strata.snapshot.Snapshots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

/**
 * A test tool that builds a repository with the metadata of a very large one without storing its
 * data: {@code chunks} data chunk entries in real packs (tables, index files), real trees and
 * {@code snapshots} real snapshot records, so every command reads it as it reads any repository.
 * Each chunk's payload is 8 bytes (its number), so 10 million chunk entries take about a gigabyte
 * where 10 TB of 1 MiB chunks would stand. Stateless; builds with all cores.
 *
 * <p>The shape is a source backed up daily: snapshot {@code s} of source {@code /data} holds the
 * folders {@code day-0000 … day-s}, and {@code day-s} is new in it, with files of at most 1,000
 * chunks that together hold the {@code chunks / snapshots} chunks that snapshot added. Every chunk is
 * reachable, so check and prune have every chunk to mark. Data packs hold {@code entriesPerPack}
 * entries (32: 1 MiB chunks in 32 MiB packs) and are written straight into {@code data/} without an
 * fsync each; every snapshot's packs are described by one index file (docs/format.md §9.1). Trees and
 * snapshot records go through the store and {@link Snapshots}, as a backup writes them.
 *
 * <pre>{@code
 * java -cp … dev.strata.cli.scale.SyntheticRepository REPO PASSWORD CHUNKS SNAPSHOTS [ENTRIES_PER_PACK]
 * }</pre>
 */
public final class SyntheticRepository {
    static final int REFS_PER_FILE = 1000;
    static final int PAYLOAD_BYTES = 8;
    static final Instant FIRST = Instant.parse("2024-01-01T02:00:00Z");

    private SyntheticRepository() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Path repo = Path.of(args[0]);
        long chunks = Long.parseLong(args[2]);
        int snapshots = Integer.parseInt(args[3]);
        int perPack = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        build(repo, args[1].toCharArray(), RepositoryOptions.defaults(), chunks, snapshots, perPack);
        System.out.printf("built %d chunks, %d snapshots in %.1f s%n", chunks, snapshots, (System.nanoTime() - t0) / 1e9);
    }

    /** Creates a repository in the empty folder {@code repo} and fills it. */
    public static void build(Path repo, char[] password, RepositoryOptions options, long chunks, int snapshots,
                             int entriesPerPack) throws IOException {
        LocalBackend backend = new LocalBackend(repo);
        Repository.init(backend, password, options, Clock.systemUTC(), HostIdentity.current());
        Path cache = Files.createTempDirectory("synthetic-cache");
        BiConsumer<BlobName, byte[]> store = (name, bytes) -> {
            try {
                Files.write(repo.resolve(name.path()), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        try (Repository r = Repository.open(backend, password, OpenOptions.of(cache, LockMode.APPEND),
                Clock.systemUTC(), HostIdentity.current())) {
            Aes256GcmCipher cipher = r.key().dataCipher();
            ChunkIdHasher hasher = r.key().chunkIdHasher();
            TreeStore trees = new TreeStore(r.store());
            ChunkId[] days = new ChunkId[snapshots];
            IntStream.range(0, snapshots).parallel().forEach(s -> {
                long from = chunks * s / snapshots;
                long to = chunks * (s + 1) / snapshots;
                try {
                    days[s] = day(r, trees, store, cipher, hasher, from, to, entriesPerPack, FIRST.plus(Duration.ofDays(s)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Snapshots records = new Snapshots(r);
            List<Node> daysSoFar = new ArrayList<>();
            SnapshotId parent = null;
            long totalBytes = 0;
            long totalFiles = 0;
            for (int s = 0; s < snapshots; s++) {
                Instant time = FIRST.plus(Duration.ofDays(s));
                daysSoFar.add(dir(dayName(s), days[s], time));
                long added = (chunks * (s + 1) / snapshots - chunks * s / snapshots) * PAYLOAD_BYTES;
                totalBytes += added;
                ChunkId data = trees.write(new Tree(daysSoFar));
                ChunkId root = trees.write(new Tree(List.of(dir("data", data, time))));
                r.store().flush();
                long files = (added / PAYLOAD_BYTES + REFS_PER_FILE - 1) / REFS_PER_FILE;
                totalFiles += files;
                SnapshotSummary summary = new SnapshotSummary(files, 0, totalFiles - files, 1, 1, s, added, added, added,
                        totalFiles, totalBytes, 0, 0,
                        time.minusSeconds(60), time);
                Snapshot saved = records.save(new Snapshot(null, SnapshotKind.BACKUP, time, "synthetic", "strata", 1000, 1000,
                        List.of("/data"), List.of(), parent, root, List.of(), summary, null));
                parent = saved.id();
            }
        }
    }

    static String dayName(int s) {
        return String.format("day-%04d", s);
    }

    /** Writes the data packs of chunks {@code from..to}, their index file and the folder that holds them. */
    private static ChunkId day(Repository r, TreeStore trees, BiConsumer<BlobName, byte[]> store, Aes256GcmCipher cipher,
                               ChunkIdHasher hasher, long from, long to, int perPack, Instant time) throws IOException {
        EntryCipher entries = new EntryCipher(cipher, new ZstdCompressor(1));
        List<PackTable> packs = new ArrayList<>();
        List<ChunkRef> refs = new ArrayList<>();
        for (long first = from; first < to; first += perPack) {
            List<byte[]> payloads = new ArrayList<>();
            for (long n = first; n < Math.min(to, first + perPack); n++) {
                payloads.add(ByteBuffer.allocate(PAYLOAD_BYTES).putLong(n).array());
            }
            PackTable t = ManyPacksRepository.writeDataPack(store, cipher, entries, hasher, payloads);
            packs.add(t);
            for (PackEntry e : t.entries()) {
                refs.add(ChunkRef.chunk(e.id(), e.rawLength()));
            }
        }
        if (!packs.isEmpty()) {
            r.backend().put(IndexFile.newName(), IndexFile.seal(cipher, packs));
        }
        List<Node> files = new ArrayList<>();
        for (int f = 0; f * REFS_PER_FILE < refs.size(); f++) {
            List<ChunkRef> part = refs.subList(f * REFS_PER_FILE, Math.min(refs.size(), (f + 1) * REFS_PER_FILE));
            FileContent content = trees.storeContent(List.copyOf(part));
            Timestamp t = Timestamp.of(time);
            files.add(Node.builder(String.format("file-%05d.bin", f), NodeType.FILE).mode(0644).owner(1000, 1000, "strata", "strata")
                    .times(t, t, t).identity(f + 1, 1, 1).content(content).build());
        }
        return trees.write(new Tree(files));
    }

    private static Node dir(String name, ChunkId tree, Instant time) {
        Timestamp t = Timestamp.of(time);
        return Node.builder(name, NodeType.DIRECTORY).mode(0755).owner(1000, 1000, "strata", "strata").times(t, t, t)
                .identity(1, 1, 2).subtree(tree).build();
    }
}
