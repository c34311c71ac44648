package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotId;
import dev.strata.snapshot.SnapshotSelector;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.forget.DurationText;
import dev.strata.snapshot.forget.ForgetPlan;
import dev.strata.snapshot.forget.ForgetPlanFormat;
import dev.strata.snapshot.forget.GroupBy;
import dev.strata.snapshot.forget.Retention;
import dev.strata.snapshot.forget.RetentionPolicy;
import dev.strata.snapshot.prune.Prune;
import dev.strata.snapshot.prune.PruneObserver;
import dev.strata.snapshot.prune.PruneResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code strata forget}: removes the snapshots given by id, or applies a retention policy, listing why
 * each snapshot is kept or removed.
 */
@Command(name = "forget", description = {"Remove snapshots: those given by id, or by a retention policy (every snapshot is listed with the reason it is kept or removed).",
        "Only the snapshot records go; 'strata prune' (or --prune) frees the data no snapshot uses any more."})
final class ForgetCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;
    @Mixin
    SnapshotArgs select;

    @Parameters(arity = "0..*", paramLabel = "ID", description = "Snapshots to remove: ids (at least 4 hex digits) or 'latest'. Not with a policy.")
    List<String> snapshotIds = new ArrayList<>();

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots (-1: all).")
    int last;
    @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N hours that have one.")
    int hourly;
    @Option(names = "--keep-daily", paramLabel = "N", description = "Keep the newest snapshot of each of the last N days that have one.")
    int daily;
    @Option(names = "--keep-weekly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N ISO weeks that have one.")
    int weekly;
    @Option(names = "--keep-monthly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N months that have one.")
    int monthly;
    @Option(names = "--keep-yearly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N years that have one.")
    int yearly;
    @Option(names = "--keep-within", paramLabel = "DURATION", description = "Keep snapshots younger than DURATION (e.g. 7d, 36h, 1d12h) before the newest one.")
    String within;
    @Option(names = "--keep-tag", paramLabel = "TAG", description = "Keep snapshots with this tag (repeatable).")
    List<String> keepTags = new ArrayList<>();
    @Option(names = "--group-by", paramLabel = "FIELDS", defaultValue = "host,paths", description = "Apply the policy per group of host, paths, tags (default: ${DEFAULT-VALUE}; empty for one group).")
    String groupBy;
    @Option(names = {"-n", "--dry-run"}, description = "Only show what would be removed.")
    boolean dryRun;
    @Option(names = "--prune", description = "Run prune afterwards to free the space.")
    boolean prune;
    @Option(names = "--max-unused", paramLabel = "PERCENT", defaultValue = "5", description = "With --prune: see 'strata prune --max-unused'.")
    double maxUnused;

    ForgetCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    private boolean policyGiven() {
        return last != 0 || hourly != 0 || daily != 0 || weekly != 0 || monthly != 0 || yearly != 0 || within != null
                || !keepTags.isEmpty();
    }

    /** Removes exactly the snapshots named; all are found before any is removed. */
    private int forgetById() throws Exception {
        LockMode mode = prune && !dryRun ? LockMode.PRUNE : dryRun ? LockMode.READ : LockMode.WRITE;
        try (Repository r = RepositoryAccess.open(ctx, repo, mode)) {
            Snapshots snapshots = new Snapshots(r);
            List<Snapshot> all = snapshots.list();
            Map<SnapshotId, Snapshot> chosen = new LinkedHashMap<>();
            for (String spec : snapshotIds) {
                Snapshot s = SnapshotSelector.select(all, spec, select.filter());
                chosen.put(s.id(), s);
            }
            if (output.json) {
                var n = Json.MAPPER.createObjectNode();
                n.put("type", "summary");
                n.put("dryRun", dryRun);
                var removed = n.putArray("removed");
                chosen.keySet().forEach(id -> removed.add(id.toString()));
                ctx.out().println(n.toString());
            } else if (!output.quiet) {
                for (Snapshot s : chosen.values()) {
                    ctx.out().printf("remove  %s  %s  %s  %s%n", s.shortId(), Times.local(s.time()), s.host(),
                            String.join(" ", s.paths()));
                }
            }
            if (!dryRun) {
                for (SnapshotId id : chosen.keySet()) {
                    snapshots.delete(id);
                }
            }
            if (!output.json && !output.quiet) {
                ctx.out().printf("%s%,d snapshot(s) removed, %,d kept%n", dryRun ? "(dry run) would have: " : "",
                        chosen.size(), all.size() - chosen.size());
            }
            if (prune && !dryRun) {
                PruneResult result = new Prune(r).run(maxUnused, false, PruneObserver.NONE);
                PruneCommand.print(ctx, output, result);
            }
        }
        return ExitCode.OK.code();
    }

    @Override
    public Integer call() throws Exception {
        if (!snapshotIds.isEmpty()) {
            if (policyGiven()) {
                throw new UserFacingException(ExitCode.USAGE, "give snapshot ids or a retention policy, not both");
            }
            return forgetById();
        }
        RetentionPolicy policy;
        GroupBy groups;
        try {
            RetentionPolicy.Builder b = RetentionPolicy.builder().last(last).hourly(hourly).daily(daily).weekly(weekly)
                    .monthly(monthly).yearly(yearly).tag(keepTags.toArray(new String[0]));
            if (within != null) {
                b.within(DurationText.parse(within));
            }
            policy = b.build();
            groups = GroupBy.parse(groupBy);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCode.USAGE, e.getMessage());
        }
        LockMode mode = prune && !dryRun ? LockMode.PRUNE : dryRun ? LockMode.READ : LockMode.WRITE;
        try (Repository r = RepositoryAccess.open(ctx, repo, mode)) {
            Snapshots snapshots = new Snapshots(r);
            ForgetPlan plan = Retention.apply(select.filter().apply(snapshots.list()), policy, groups,
                    ctx.clock().instant(), ZoneId.systemDefault());
            if (output.json) {
                var n = ForgetPlanFormat.json(plan);
                n.put("dryRun", dryRun);
                ctx.out().println(n.toString());
            } else if (!output.quiet) {
                ctx.out().print(ForgetPlanFormat.text(plan));
            }
            if (!dryRun) {
                for (SnapshotId id : plan.removedIds()) {
                    snapshots.delete(id);
                }
            }
            if (!output.json && !output.quiet) {
                ctx.out().printf("%s%,d snapshot(s) removed, %,d kept%n", dryRun ? "(dry run) would have: " : "",
                        plan.removed().size(), plan.kept().size());
            }
            if (prune && !dryRun) {
                PruneResult result = new Prune(r).run(maxUnused, false, PruneObserver.NONE);
                PruneCommand.print(ctx, output, result);
            }
        }
        return ExitCode.OK.code();
    }
}
