package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.repo.Repository;
import dev.strata.snapshot.CachedSnapshots;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotCodec;
import dev.strata.snapshot.Snapshots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata snapshots}: lists snapshots, oldest first. */
@Command(name = "snapshots", description = "List snapshots, oldest first.")
final class SnapshotsCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;
    @Mixin
    SnapshotArgs select;

    SnapshotsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        // Records only: no chunk is read, so the index is not brought in line with the packs, and no lock is
        // taken (a lock keeps deletions of packs away from their readers; a record forgotten meanwhile is
        // passed over). The cached records are read and decoded on the second core while the key is derived.
        CachedSnapshots.Prefetch cached = CachedSnapshots.prefetch();
        try (Repository r = RepositoryAccess.open(ctx, repo, null,
                o -> o.withoutIndexSync().withCacheWarmUp(cached))) {
            List<String> damaged = new ArrayList<>();
            List<Snapshot> all = select.filter().apply(new Snapshots(r, cached).list(damaged));
            damaged.forEach(d -> ctx.err().println("strata: damaged snapshot record: " + d));
            if (output.json) {
                var arr = Json.MAPPER.createArrayNode();
                for (Snapshot s : all) {
                    var n = SnapshotCodec.toJson(s);
                    n.put("id", s.id().toString());
                    n.put("shortId", s.shortId());
                    arr.add(n);
                }
                ctx.out().println(arr.toString());
            } else {
                // One buffer and plain padding rather than a printf per row: a Formatter parses its pattern
                // on every call, which a short-lived JVM runs uncompiled (a tenth of a second at 1,000 rows).
                StringBuilder table = new StringBuilder(128 * (all.size() + 4));
                row(table, "ID", "Time", "Host", "Kind", "Tags", "Size", "Paths");
                table.append("-".repeat(90)).append('\n');
                for (Snapshot s : all) {
                    row(table, s.shortId(), Times.local(s.time()), s.host(), s.kind().jsonName(), String.join(",", s.tags()),
                            Sizes.human(s.summary().totalBytes()),
                            dev.strata.image.Images.nameOf(s).map(n -> "image " + n + ": ").orElse("") + String.join(" ", s.paths()));
                }
                table.append("-".repeat(90)).append('\n');
                ctx.out().print(table);
                ctx.out().println(all.size() + " snapshot" + (all.size() == 1 ? "" : "s"));
            }
            return damaged.isEmpty() ? ExitCode.OK.code() : ExitCode.CORRUPT.code();
        }
    }

    /** A row of the listing, laid out as {@code %-8s  %-19s  %-12s  %-6s  %-12s  %10s  %s}. */
    private static void row(StringBuilder out, String id, String time, String host, String kind, String tags, String size,
                            String paths) {
        left(out, id, 8);
        left(out, time, 19);
        left(out, host, 12);
        left(out, kind, 6);
        left(out, tags, 12);
        out.append(" ".repeat(Math.max(0, 10 - size.length()))).append(size).append("  ").append(paths).append('\n');
    }

    private static void left(StringBuilder out, String text, int width) {
        out.append(text).append(" ".repeat(Math.max(0, width - text.length()))).append("  ");
    }
}
