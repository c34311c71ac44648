package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.index.IndexStats;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code strata stats}: what the repository holds. */
@Command(name = "stats", description = "Show what the repository holds: chunks, packs, raw and stored bytes.")
final class StatsCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;

    StatsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            IndexStats s = r.index().stats();
            double compression = s.storedBytes() == 0 ? 1.0 : (double) s.rawBytes() / s.storedBytes();
            if (output.json) {
                var n = Json.MAPPER.createObjectNode();
                n.put("repository", r.location());
                n.put("id", r.config().idHex());
                n.put("chunks", s.chunks());
                n.put("treeChunks", s.treeChunks());
                n.put("dataPacks", s.dataPacks());
                n.put("treePacks", s.treePacks());
                n.put("rawBytes", s.rawBytes());
                n.put("storedBytes", s.storedBytes());
                n.put("packBytes", s.packBytes());
                n.put("compressionRatio", compression);
                ctx.out().println(Json.MAPPER.writeValueAsString(n));
            } else {
                ctx.out().printf("repository   %s (id %s)%n", r.location(), r.config().idHex().substring(0, 8));
                ctx.out().printf("chunks       %,d (%,d data, %,d tree)%n", s.chunks(), s.chunks() - s.treeChunks(), s.treeChunks());
                ctx.out().printf("packs        %,d (%,d data, %,d tree), %s%n", s.dataPacks() + s.treePacks(), s.dataPacks(),
                        s.treePacks(), Sizes.human(s.packBytes()));
                ctx.out().printf("raw bytes    %s%n", Sizes.human(s.rawBytes()));
                ctx.out().printf("stored bytes %s (compression %s)%n", Sizes.human(s.storedBytes()), Sizes.ratio(compression));
            }
        }
        return ExitCode.OK.code();
    }
}
