package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.index.IndexStats;
import dev.strata.core.pack.PackSalvage;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.IndexSynchronizer;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotSelector;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.repair.SnapshotRepair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata repair}: rebuilds the index, and rewrites snapshots that refer to lost data. */
@Command(name = "repair", description = "Rebuild the index, or rewrite snapshots that refer to lost data.",
        subcommands = {RepairCommand.Index.class, RepairCommand.SnapshotsRepair.class})
final class RepairCommand {

    @Command(name = "index", description = "Rebuild the local index from the packs alone.")
    static final class Index implements Callable<Integer> {
        private final CliContext ctx;
        @Mixin
        RepoArgs repo;
        @Mixin
        OutputArgs output;

        Index(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.WRITE)) {
                IndexSynchronizer.Report report = r.store().synchronizer().rebuild();
                IndexStats s = r.index().stats();
                for (String damaged : report.damaged()) {
                    ctx.err().println("strata: damaged " + damaged);
                }
                List<PackSalvage> lossy = report.salvaged().stream().filter(PackSalvage::lostSomething).toList();
                long lostBytes = lossy.stream().mapToLong(PackSalvage::lostBytes).sum();
                long lostChunks = lossy.stream().mapToLong(p -> p.damaged().size()).sum();
                if (output.json) {
                    var n = Json.MAPPER.createObjectNode();
                    n.put("packs", report.added());
                    n.put("chunks", s.chunks());
                    n.put("damagedPacks", report.salvaged().size());
                    n.put("packsLosingData", lossy.size());
                    n.put("damagedChunks", lostChunks);
                    n.put("unreadableBytes", lostBytes);
                    ctx.out().println(Json.MAPPER.writeValueAsString(n));
                } else if (!output.quiet) {
                    ctx.out().printf("index rebuilt from %,d packs: %,d chunks%s%n", report.added(), s.chunks(),
                            report.salvaged().isEmpty() ? "" : String.format("; %,d damaged pack(s) salvaged, %s",
                                    report.salvaged().size(), lossy.isEmpty() ? "nothing lost"
                                            : String.format("%,d of them lost data (%,d known chunk(s), %s unreadable):"
                                            + " 'strata check' names the snapshots affected", lossy.size(), lostChunks,
                                            Sizes.human(lostBytes))));
                }
                return lossy.isEmpty() ? ExitCode.OK.code() : ExitCode.CORRUPT.code();
            }
        }
    }

    @Command(name = "snapshots", description = {
            "Rewrite every snapshot that refers to lost data (damaged, or in a pack that is gone) into a new snapshot"
                    + " without it, tagged 'repaired', and remove the original.",
            "A file keeps the chunks still stored (lost ones are dropped, so it gets shorter; a disk image keeps its"
                    + " length, lost parts read as zeros); an unreadable folder becomes empty; a snapshot whose root"
                    + " is unreadable is removed. Run 'strata check --read-data' first so that every damaged chunk is"
                    + " known. The next backup of the source stores the lost data again."})
    static final class SnapshotsRepair implements Callable<Integer> {
        private final CliContext ctx;
        @Mixin
        RepoArgs repo;
        @Mixin
        OutputArgs output;
        @Mixin
        SnapshotArgs select;

        @Parameters(arity = "0..*", paramLabel = "ID", description = "Only these snapshots (default: all that match the filters).")
        List<String> ids = new ArrayList<>();

        @Option(names = {"-n", "--dry-run"}, description = "Only show what would be rewritten.")
        boolean dryRun;

        @Option(names = "--keep-original", description = "Keep the damaged originals beside their repaired copies ('check' keeps reporting them).")
        boolean keepOriginal;

        SnapshotsRepair(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            try (Repository r = RepositoryAccess.open(ctx, repo, dryRun ? LockMode.READ : LockMode.WRITE)) {
                List<Snapshot> all = new Snapshots(r).list();
                List<Snapshot> chosen = new ArrayList<>();
                if (ids.isEmpty()) {
                    chosen.addAll(select.filter().apply(all));
                } else {
                    for (String spec : ids) {
                        Snapshot s = SnapshotSelector.select(all, spec, select.filter());
                        if (!chosen.contains(s)) {
                            chosen.add(s);
                        }
                    }
                }
                SnapshotRepair.Result result = new SnapshotRepair(r).run(chosen, dryRun, keepOriginal);
                print(result);
            }
            return ExitCode.OK.code();
        }

        private void print(SnapshotRepair.Result result) {
            if (output.json) {
                var n = Json.MAPPER.createObjectNode();
                n.put("type", "summary");
                n.put("dryRun", dryRun);
                n.put("intact", result.intact());
                var list = n.putArray("repaired");
                for (SnapshotRepair.Outcome o : result.repaired()) {
                    var e = list.addObject();
                    e.put("original", o.original().id().toString());
                    if (o.replacement() != null) {
                        e.put("snapshot", o.replacement().id().toString());
                    }
                    e.put("removed", o.removed());
                    var changes = e.putArray("changes");
                    o.changes().forEach(c -> changes.addObject().put("path", c.path()).put("change", c.what()));
                }
                ctx.out().println(n.toString());
                return;
            }
            if (output.quiet) {
                return;
            }
            String would = dryRun ? "would be " : "";
            for (SnapshotRepair.Outcome o : result.repaired()) {
                Snapshot s = o.original();
                ctx.out().printf("snapshot %s (%s, %s, %s): %s%n", s.shortId(), Times.local(s.time()), s.host(),
                        String.join(" ", s.paths()), o.rootUnreadable() ? "unreadable" : o.changes().size() + " path(s) lost data");
                for (SnapshotRepair.Change c : o.changes()) {
                    ctx.out().println("  " + c.path() + ": " + c.what());
                }
                if (o.rootUnreadable()) {
                    ctx.out().println("  " + would + "removed");
                } else {
                    ctx.out().println("  " + (o.replacement() != null ? "saved as " + o.replacement().shortId()
                            : "would be saved anew") + (o.removed() ? "; the original " + would + "removed" : "; the original is kept"));
                }
            }
            long rewritten = result.repaired().stream().filter(o -> !o.rootUnreadable()).count();
            long dropped = result.repaired().size() - rewritten;
            ctx.out().printf("%s%,d snapshot(s) repaired, %,d removed as unreadable, %,d intact%n",
                    dryRun ? "(dry run) " : "", rewritten, dropped, result.intact());
            if (!dryRun && !result.repaired().isEmpty()) {
                ctx.out().println("back up the sources again to store what was lost anew; 'strata prune' removes the damaged packs");
            }
        }
    }
}
