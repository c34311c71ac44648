package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.name.Printable;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.diff.Change;
import dev.strata.snapshot.diff.TreeDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code strata diff A B}: what changed between two snapshots. */
@Command(name = "diff", description = "Show what changed between two snapshots: + added, - removed, M modified, U metadata only.")
final class DiffCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;

    @Parameters(index = "0", paramLabel = "OLDER",
            description = "The snapshot to compare from: 'latest' or an id, optionally with :PATH inside it.")
    String older;

    @Parameters(index = "1", paramLabel = "NEWER",
            description = "The snapshot to compare to, named the same way.")
    String newer;

    DiffCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            Snapshots snapshots = new Snapshots(r);
            SnapshotRef a = SnapshotRef.resolve(snapshots, older, dev.strata.snapshot.SnapshotFilter.ANY);
            SnapshotRef b = SnapshotRef.resolve(snapshots, newer, dev.strata.snapshot.SnapshotFilter.ANY);
            TreeDiff.Totals totals = new TreeDiff.Totals();
            new TreeDiff(new TreeStore(r.store())).diff(a.snapshot().tree(), b.snapshot().tree(), c -> {
                totals.accept(c);
                print(c);
            });
            if (output.json) {
                var n = Json.MAPPER.createObjectNode();
                n.put("type", "summary");
                n.put("added", totals.added());
                n.put("removed", totals.removed());
                n.put("modified", totals.modified());
                n.put("metadataOnly", totals.metadata());
                n.put("bytesAdded", totals.bytesAdded());
                n.put("bytesRemoved", totals.bytesRemoved());
                ctx.out().println(n.toString());
            } else if (!output.quiet) {
                ctx.out().printf("%nfrom %s to %s: %,d added, %,d removed, %,d modified, %,d metadata only; %s added, %s removed%n",
                        a.snapshot().shortId(), b.snapshot().shortId(), totals.added(), totals.removed(), totals.modified(),
                        totals.metadata(), Sizes.human(totals.bytesAdded()), Sizes.human(totals.bytesRemoved()));
            }
        }
        return ExitCode.OK.code();
    }

    private void print(Change c) {
        if (output.json) {
            var n = Json.MAPPER.createObjectNode();
            n.put("type", "change");
            n.put("change", c.kind().name().toLowerCase(java.util.Locale.ROOT));
            n.put("path", c.path());
            n.put("oldSize", c.oldSize());
            n.put("newSize", c.newSize());
            ctx.out().println(Json.write(n));
        } else if (!output.quiet) {
            String sizes = switch (c.kind()) {
                case ADDED -> Sizes.human(c.newSize());
                case REMOVED -> Sizes.human(c.oldSize());
                case MODIFIED -> Sizes.human(c.oldSize()) + " -> " + Sizes.human(c.newSize());
                default -> "";
            };
            ctx.out().printf("%s  %-60s %s%n", c.kind().symbol(), Printable.of(c.path()), c.path().endsWith("/") ? "" : sizes);
        }
    }
}
