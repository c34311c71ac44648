package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.snapshot.prune.Prune;
import dev.strata.snapshot.prune.PruneObserver;
import dev.strata.snapshot.prune.PruneResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code strata prune}: frees the space of data no snapshot uses. */
@Command(name = "prune", description = "Delete data no snapshot uses: unused packs go, mostly-unused packs are repacked.")
final class PruneCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;

    @Option(names = "--max-unused", paramLabel = "PERCENT", defaultValue = "5",
            description = "Unused space to tolerate in packs that are kept, as a percentage of the repository (default: ${DEFAULT-VALUE}). 0 repacks everything that has garbage.")
    double maxUnused;

    @Option(names = {"-n", "--dry-run"}, description = "Only show what would be deleted.")
    boolean dryRun;

    @Option(names = "--ignore-damaged", description = {"Prune although snapshots refer to lost data (damaged, in a pack that is gone, or below a folder that cannot be read).",
            "What is lost stays lost and data reachable only through an unreadable folder counts as unused; everything readable that snapshots use is kept. 'strata repair snapshots' is the cleaner way."})
    boolean ignoreDamaged;

    PruneCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        try (Repository r = RepositoryAccess.open(ctx, repo, dryRun ? LockMode.READ : LockMode.PRUNE)) {
            PruneResult result = new Prune(r).run(maxUnused, dryRun, ignoreDamaged, new PruneObserver() {
                @Override
                public void stage(String name) {
                    if (output.json) {
                        ctx.out().println("{\"type\":\"stage\",\"stage\":\"" + name + "\"}");
                    } else if (!output.quiet && ctx.terminal()) {
                        ctx.err().println("prune: " + name);
                    }
                }
            });
            print(ctx, output, result);
        }
        return ExitCode.OK.code();
    }

    static void print(CliContext ctx, OutputArgs output, PruneResult r) {
        if (output.json) {
            var n = Json.MAPPER.createObjectNode();
            n.put("type", "summary");
            n.put("dryRun", r.dryRun());
            n.put("snapshots", r.snapshots());
            n.put("chunksUsed", r.chunksUsed());
            n.put("chunksUnused", r.chunksUnused());
            n.put("packs", r.packsTotal());
            n.put("packsDeleted", r.packsDeleted());
            n.put("packsRepacked", r.packsRepacked());
            n.put("bytesBefore", r.bytesBefore());
            n.put("bytesFreed", r.bytesFreed());
            n.put("bytesRepacked", r.bytesRepacked());
            n.put("unusedBytesLeft", r.unusedLeft());
            n.put("lostIgnored", r.lostIgnored());
            n.put("packsWaiting", r.packsWaiting());
            n.put("bytesWaiting", r.bytesWaiting());
            var who = n.putArray("waitingFor");
            r.waitingFor().forEach(who::add);
            ctx.out().println(n.toString());
        } else if (!output.quiet) {
            ctx.out().printf("%s%,d snapshots use %,d chunks; %,d chunks are unused%n", r.dryRun() ? "(dry run) " : "",
                    r.snapshots(), r.chunksUsed(), r.chunksUnused());
            ctx.out().printf("%s %,d of %,d packs, repack %,d (%s moved); %s freed of %s; %s unused left%n",
                    r.dryRun() ? "would delete" : "deleted", r.packsDeleted(), r.packsTotal(), r.packsRepacked(),
                    Sizes.human(r.bytesRepacked()), Sizes.human(r.bytesFreed()), Sizes.human(r.bytesBefore()),
                    Sizes.human(r.unusedLeft()));
            if (r.packsWaiting() > 0) {
                ctx.out().print(waitingText(r));
            }
            if (r.lostIgnored() > 0) {
                ctx.out().printf("%,d problem(s) in the snapshots were pruned around (--ignore-damaged): that data stays lost;"
                        + " 'strata check' lists it%n", r.lostIgnored());
            }
        }
    }

    /**
     * What holds back the condemned packs: the writers that do not know yet, or none — a writer that
     * was running when they were condemned and has ended since, so the next prune deletes them.
     */
    static String waitingText(PruneResult r) {
        StringBuilder text = new StringBuilder(String.format("%,d unused pack(s) (%s) are condemned and go at a later prune,"
                + " once every running writer knows (a mounted volume within a minute, a backup when it ends)",
                r.packsWaiting(), Sizes.human(r.bytesWaiting())));
        if (r.waitingFor().isEmpty()) {
            return text.append("; no writer holds them back any more: the next prune deletes them").append(System.lineSeparator()).toString();
        }
        text.append("; waiting for:").append(System.lineSeparator());
        r.waitingFor().forEach(w -> text.append("  ").append(w).append(System.lineSeparator()));
        return text.toString();
    }
}
