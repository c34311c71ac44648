package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.index.IndexStats;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.store.IndexSynchronizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
                    ctx.err().println("strata: skipped damaged pack: " + damaged);
                }
                if (output.json) {
                    var n = Json.MAPPER.createObjectNode();
                    n.put("packs", report.added());
                    n.put("chunks", s.chunks());
                    n.put("damagedPacks", report.damaged().size());
                    ctx.out().println(Json.MAPPER.writeValueAsString(n));
                } else if (!output.quiet) {
                    ctx.out().printf("index rebuilt from %,d packs: %,d chunks%s%n", report.added(), s.chunks(),
                            report.damaged().isEmpty() ? "" : ", " + report.damaged().size() + " damaged packs skipped");
                }
                return report.damaged().isEmpty() ? ExitCode.OK.code() : ExitCode.CORRUPT.code();
            }
        }
    }
}
