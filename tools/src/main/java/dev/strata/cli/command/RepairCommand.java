package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.index.IndexStats;
import dev.strata.core.pack.PackSalvage;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.IndexSynchronizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata repair}: rebuilds what can be rebuilt. */
@Command(name = "repair", description = "Rebuild derived data.", subcommands = RepairCommand.Index.class)
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
}
