package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.image.ImageCounters;
import dev.strata.image.ImageRestorer;
import dev.strata.image.Images;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code strata image restore}: writes an image, or one partition of it, to a device or file and verifies it. */
@Command(name = "restore", description = {"Write an image (or one partition of it) to a block device or file, then verify it.",
        "A file target stays sparse. A mounted or too small target is refused; a larger one is fine."})
final class ImageRestoreCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;

    @Parameters(paramLabel = "NAME[:SNAPSHOT]", description = "The image: its latest snapshot, or NAME:ID.")
    String spec;

    @Option(names = "--target", required = true, paramLabel = "DEVICE|FILE", description = "Where to write.")
    Path target;

    @Option(names = "--partition", paramLabel = "N", defaultValue = "0", description = "Restore only partition N.")
    int partition;

    @Option(names = "--overwrite", description = "Replace an existing non-empty file target.")
    boolean overwrite;

    ImageRestoreCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        ImageCounters counters = new ImageCounters();
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            Snapshot s = Images.select(new Snapshots(r).list(), spec);
            ImageRestorer.Report report;
            try (ProgressDisplay display = ProgressDisplay.start(ctx, output, () -> new ProgressDisplay.Status(
                    counters.phase, 1, counters.bytesDone.get(), 1, counters.totalBytes.get()))) {
                report = new ImageRestorer(r).restore(s, partition, target, overwrite, counters);
            }
            if (output.json) {
                var n = Json.MAPPER.createObjectNode();
                n.put("type", "summary");
                n.put("snapshot", s.id().toString());
                n.put("target", target.toString());
                n.put("partition", partition);
                n.put("bytes", report.bytes());
                n.put("bytesWritten", report.bytesWritten());
                n.put("verified", report.verified());
                ctx.out().println(n.toString());
            } else if (!output.quiet) {
                ctx.out().printf("restored %s%s (%s) to %s: %s, %s written, verified%n", Images.nameOf(s).orElse("?"),
                        partition == 0 ? "" : " partition " + partition, s.shortId(), target, Sizes.human(report.bytes()),
                        Sizes.human(report.bytesWritten()));
            }
            return 0;
        }
    }
}
