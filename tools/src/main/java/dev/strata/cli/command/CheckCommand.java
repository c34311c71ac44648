package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.snapshot.check.Check;
import dev.strata.snapshot.check.CheckReport;
import dev.strata.snapshot.check.CheckRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** {@code strata check}: verifies the repository's structure and, optionally, its data. */
@Command(name = "check", description = "Check the repository: every snapshot's trees and chunks exist; with --read-data, every byte authenticates.")
final class CheckCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;

    @Option(names = "--read-data", description = "Read and verify every pack.")
    boolean readData;

    @Option(names = "--read-data-subset", paramLabel = "n/m|P%", description = "Read and verify a subset of packs: part n of m, or P percent chosen at random.")
    String subset;

    CheckCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        CheckRequest req;
        try {
            req = subset != null ? CheckRequest.subset(subset) : readData ? CheckRequest.ALL_DATA : CheckRequest.STRUCTURE;
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCode.USAGE, e.getMessage());
        }
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.VERIFY)) {
            AtomicLong packs = new AtomicLong();
            CheckReport report;
            try (ProgressDisplay display = req.readData() ? ProgressDisplay.start(ctx, output,
                    () -> new ProgressDisplay.Status("check", packs.get(), 0, -1, -1)) : null) {
                report = new Check(r).run(req, packs::set);
            }
            if (output.json) {
                var n = Json.MAPPER.createObjectNode();
                n.put("type", "summary");
                n.put("ok", report.ok());
                n.put("snapshots", report.snapshots());
                n.put("trees", report.trees());
                n.put("dataChunks", report.dataChunks());
                n.put("packs", report.packsTotal());
                n.put("packsRead", report.packsRead());
                n.put("bytesRead", report.bytesRead());
                var e = n.putArray("errors");
                report.errors().forEach(e::add);
                var m = n.putArray("notes");
                report.notes().forEach(m::add);
                ctx.out().println(n.toString());
            } else {
                report.errors().forEach(e -> ctx.out().println("error: " + e));
                if (!output.quiet) {
                    report.notes().forEach(x -> ctx.out().println("note: " + x));
                    ctx.out().printf("checked %,d snapshots, %,d trees, %,d data chunks in %,d packs%s%n", report.snapshots(),
                            report.trees(), report.dataChunks(), report.packsTotal(),
                            req.readData() ? String.format("; read %,d packs (%s)", report.packsRead(), Sizes.human(report.bytesRead())) : "");
                    ctx.out().println(report.ok() ? "no errors were found" : report.errors().size() + " error(s) found");
                }
            }
            return report.ok() ? ExitCode.OK.code() : ExitCode.CORRUPT.code();
        }
    }
}
