package dev.strata.snapshot.check;

import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobType;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LmdbTable;
import dev.strata.core.index.PackRecord;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.IndexSynchronizer;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.refs.ReferenceWalker;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Checks a repository: structure (every snapshot record readable, every tree and chunk it names in
 * the index and in a pack that exists) and, when asked, data (every byte of the chosen packs
 * authenticates and every chunk matches its id). Reports precisely and goes on after each problem.
 * Confined to one thread.
 */
public final class Check {
    private final Repository repo;

    public Check(Repository repo) {
        this.repo = repo;
    }

    public CheckReport run(CheckRequest req, LongConsumer packsDone) throws IOException {
        CheckReport report = new CheckReport();
        IndexSynchronizer.Report sync = repo.store().synchronizer().synchronize();
        repo.openSync().damaged().forEach(d -> report.error("damaged pack: " + d));
        sync.damaged().forEach(d -> report.error("damaged pack: " + d));

        // The index before the listing: a backup running meanwhile indexes a pack only once it is
        // stored, so every pack indexed here is listed below unless it is really missing.
        Map<PackId, PackRecord> indexed = repo.index().packs();
        Set<PackId> present = new HashSet<>();
        for (BlobInfo b : repo.backend().list(BlobType.PACK)) {
            present.add(PackId.parse(b.name().name()));
        }
        report.packsTotal = present.size();

        List<String> damagedSnapshots = new ArrayList<>();
        List<Snapshot> snapshots = new Snapshots(repo).list(damagedSnapshots);
        damagedSnapshots.forEach(d -> report.error("damaged snapshot record: " + d));
        report.snapshots = snapshots.size();

        LmdbTable reached = repo.lmdb().openRunTable("check");
        ReferenceWalker walker = new ReferenceWalker(new TreeStore(repo.store()), reached);
        for (Snapshot s : snapshots) {
            walker.walk(s.tree(), "snapshot " + s.shortId(), new ReferenceWalker.Visitor() {
                @Override
                public void chunk(ChunkId id, boolean tree, String path) {
                    if (tree) {
                        report.trees++;
                    } else {
                        report.dataChunks++;
                    }
                    Optional<ChunkLocation> loc = repo.index().lookup(id);
                    if (loc.isEmpty()) {
                        report.error(path + ": " + (tree ? "tree " : "chunk ") + id.shortString() + " is in no pack");
                    } else if (!present.contains(loc.get().pack())) {
                        report.error(path + ": " + (tree ? "tree " : "chunk ") + id.shortString() + " is in pack "
                                + loc.get().pack() + ", which is missing");
                    }
                }

                @Override
                public void unreadable(ChunkId id, String path, IOException e) {
                    report.error(path + ": cannot read " + id.shortString() + ": " + e.getMessage());
                }
            });
        }
        int unused = 0;
        for (PackRecord p : indexed.values()) {
            if (!present.contains(p.id())) {
                report.error("pack " + p.id() + " is indexed but missing from the repository");
            }
        }
        if (req.readData()) {
            List<PackId> chosen = choose(new ArrayList<>(present), req);
            long done = 0;
            for (PackId id : chosen) {
                try {
                    var table = repo.store().packReader().verify(id, repo.store().hasher());
                    report.packsRead++;
                    report.bytesRead += table.size();
                } catch (CorruptDataException e) {
                    report.error(e.getMessage());
                } catch (NoSuchFileException e) {
                    report.note("pack " + id + " was removed while the check ran");
                }
                packsDone.accept(++done);
            }
        }
        // Count packs nothing refers to: harmless, prune removes them.
        Set<PackId> live = new HashSet<>();
        repo.index().forEachLocation(loc -> {
            if (reached.contains(loc.entry().id().bytes())) {
                live.add(loc.pack());
            }
        });
        for (PackRecord p : indexed.values()) {
            if (present.contains(p.id()) && !live.contains(p.id())) {
                unused++;
            }
        }
        if (unused > 0) {
            report.note(unused + " pack(s) hold only data no snapshot uses; 'strata prune' removes them");
        }
        reached.drop();
        return report;
    }

    static List<PackId> choose(List<PackId> all, CheckRequest req) {
        all.sort(null);
        if (req.subsetCount() > 0) {
            List<PackId> out = new ArrayList<>();
            for (PackId id : all) {
                if ((id.byteAt(0) & 0xFF) % req.subsetCount() == req.subsetIndex() - 1) {
                    out.add(id);
                }
            }
            return out;
        }
        if (req.percent() > 0) {
            List<PackId> out = new ArrayList<>(all);
            java.util.Collections.shuffle(out, new Random());
            int n = (int) Math.ceil(all.size() * req.percent() / 100.0);
            return out.subList(0, Math.min(n, out.size()));
        }
        return all;
    }
}
