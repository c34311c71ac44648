package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.backend.Backend;
import dev.strata.core.chunk.ChunkerParams;
import dev.strata.core.error.ExitCode;
import dev.strata.core.repo.Repository;
import dev.strata.core.repo.RepositoryConfig;
import dev.strata.core.repo.RepositoryOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code strata init}: creates a repository. */
@Command(name = "init", description = "Create a new repository.")
final class InitCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    RepoArgs repo;

    @Mixin
    OutputArgs output;

    @Option(names = "--compression-level", paramLabel = "N", description = "zstd level 1..19 (default ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int compressionLevel;

    @Option(names = "--chunk-size", paramLabel = "MIN,AVG,MAX", split = ",",
            description = "Content-defined chunk sizes in KiB (default 512,1024,8192; AVG a power of two).")
    int[] chunkSizesKiB;

    InitCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        RepositoryOptions options = RepositoryOptions.defaults().withCompressionLevel(compressionLevel).withKdf(ctx.kdf());
        if (chunkSizesKiB != null) {
            if (chunkSizesKiB.length != 3) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--chunk-size needs MIN,AVG,MAX");
            }
            options = options.withChunker(new ChunkerParams(chunkSizesKiB[0] * 1024, chunkSizesKiB[1] * 1024, chunkSizesKiB[2] * 1024));
        }
        RepositoryConfig config;
        try (Backend backend = RepositoryAccess.backend(ctx, repo)) {
            if (backend.exists(dev.strata.core.backend.BlobName.CONFIG)) {
                throw new dev.strata.core.error.UserFacingException(ExitCode.ALREADY_EXISTS,
                        backend.location() + " already holds a Strata repository");
            }
            char[] password = Passwords.fresh(ctx, repo.passwordFile, true, "password for the new repository");
            config = Repository.init(backend, password, options, ctx.clock(), ctx.host());
        }
        if (output.json) {
            var node = Json.MAPPER.createObjectNode();
            node.put("id", config.idHex());
            node.put("location", RepositoryAccess.location(ctx, repo));
            ctx.out().println(Json.MAPPER.writeValueAsString(node));
        } else if (!output.quiet) {
            ctx.out().println("created repository " + config.idHex().substring(0, 8) + " at " + RepositoryAccess.location(ctx, repo));
            ctx.out().println("Keep the password safe: without it nobody, including you, can read this repository.");
        }
        return ExitCode.OK.code();
    }
}
