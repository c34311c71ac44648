package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.index.IndexStats;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotFilter;
import dev.strata.snapshot.SnapshotSelector;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.stats.ReferencedSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata stats}: what the repository, or one snapshot, holds and what it costs. */
@Command(name = "stats", description = {
        "Show the sizes of the repository or of one snapshot: raw, deduplicated, stored, and their ratios.",
        "Raw size adds up the files' sizes; deduplicated counts each distinct chunk once; stored is that",
        "chunk data as kept in packs, compressed and encrypted."})
final class StatsCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;

    @Parameters(paramLabel = "SNAPSHOT", arity = "0..1",
            description = "'latest' or a snapshot id (default: every snapshot and the whole repository).")
    String snapshot;

    StatsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            List<Snapshot> all = new Snapshots(r).list();
            if (snapshot != null) {
                Snapshot s = SnapshotSelector.select(all, snapshot, SnapshotFilter.ANY);
                printSnapshot(s, ReferencedSize.of(r, List.of(s)));
            } else {
                printRepository(r, ReferencedSize.of(r, all));
            }
        }
        return ExitCode.OK.code();
    }

    private void printSnapshot(Snapshot s, ReferencedSize.Result u) throws Exception {
        if (output.json) {
            var n = Json.MAPPER.createObjectNode();
            n.put("snapshot", s.id().toString());
            n.put("files", s.summary().totalFiles());
            putSizes(n, u);
            ctx.out().println(Json.MAPPER.writeValueAsString(n));
            return;
        }
        ctx.out().printf("snapshot     %s (%s, %s)%n", s.shortId(), Times.local(s.time()), s.host());
        ctx.out().printf("raw size     %s in %,d files%n", Sizes.human(u.fileBytes()), s.summary().totalFiles());
        printSizes(u);
    }

    private void printRepository(Repository r, ReferencedSize.Result u) throws Exception {
        IndexStats s = r.index().stats();
        if (output.json) {
            var n = Json.MAPPER.createObjectNode();
            n.put("repository", r.location());
            n.put("id", r.config().idHex());
            n.put("snapshots", u.snapshots());
            n.put("chunks", s.chunks());
            n.put("treeChunks", s.treeChunks());
            n.put("dataPacks", s.dataPacks());
            n.put("treePacks", s.treePacks());
            n.put("rawBytes", s.rawBytes());
            n.put("storedBytes", s.storedBytes());
            n.put("packBytes", s.packBytes());
            putSizes(n, u);
            ctx.out().println(Json.MAPPER.writeValueAsString(n));
            return;
        }
        ctx.out().printf("repository   %s (id %s)%n", r.location(), r.config().idHex().substring(0, 8));
        ctx.out().printf("chunks       %,d (%,d data, %,d tree)%n", s.chunks(), s.chunks() - s.treeChunks(), s.treeChunks());
        ctx.out().printf("packs        %,d (%,d data, %,d tree), %s%n", s.dataPacks() + s.treePacks(), s.dataPacks(),
                s.treePacks(), Sizes.human(s.packBytes()));
        ctx.out().printf("raw size     %s in %,d snapshot%s%n", Sizes.human(u.fileBytes()), u.snapshots(),
                u.snapshots() == 1 ? "" : "s");
        printSizes(u);
    }

    private void printSizes(ReferencedSize.Result u) {
        ctx.out().printf("deduplicated %s in %,d data chunks (deduplication %s)%n", Sizes.human(u.rawBytes()),
                u.dataChunks(), Sizes.ratio(u.dedupRatio()));
        ctx.out().printf("stored size  %s (compression %s)%n", Sizes.human(u.storedBytes()), Sizes.ratio(u.compressionRatio()));
        if (u.missing() > 0) {
            ctx.out().printf("missing      %,d data chunks are in no pack; run 'strata check'%n", u.missing());
        }
    }

    private static void putSizes(com.fasterxml.jackson.databind.node.ObjectNode n, ReferencedSize.Result u) {
        n.put("rawSize", u.fileBytes());
        n.put("dataChunks", u.dataChunks());
        n.put("deduplicatedSize", u.rawBytes());
        n.put("storedSize", u.storedBytes());
        n.put("dedupRatio", u.dedupRatio());
        n.put("compressionRatio", u.compressionRatio());
        n.put("missingChunks", u.missing());
    }
}
