package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.image.ByteRange;
import dev.strata.image.ImageDescription;
import dev.strata.image.Images;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata image list}: image snapshots, oldest first, with their partitions. */
@Command(name = "list", description = "List images, oldest first, with their partitions.")
final class ImageListCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only images of this name.")
    String name;

    @Option(names = {"-l", "--long"}, description = "Show each image's partitions.")
    boolean longFormat;

    ImageListCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            List<Snapshot> images = new ArrayList<>();
            for (Snapshot s : new Snapshots(r).list()) {
                if (Images.nameOf(s).filter(n -> name == null || n.equals(name)).isPresent()) {
                    images.add(s);
                }
            }
            if (output.json) {
                var arr = Json.MAPPER.createArrayNode();
                for (Snapshot s : images) {
                    var n = arr.addObject();
                    n.put("id", s.id().toString());
                    n.put("shortId", s.shortId());
                    n.put("time", s.time().toString());
                    n.put("host", s.host());
                    n.set("image", s.extra());
                    n.put("bytesAdded", s.summary().bytesAdded());
                }
                ctx.out().println(arr.toString());
                return 0;
            }
            ctx.out().printf("%-20s  %-8s  %-19s  %10s  %-5s  %-5s  %10s  %s%n", "Name", "ID", "Time", "Size", "Table",
                    "Parts", "Added", "Source");
            ctx.out().println("-".repeat(100));
            for (Snapshot s : images) {
                ImageDescription d = ImageDescription.fromJson(s.extra());
                ctx.out().printf("%-20s  %-8s  %-19s  %10s  %-5s  %5d  %10s  %s%s%n", d.name(), s.shortId(), Times.local(s.time()),
                        Sizes.human(d.deviceSize()), d.scheme(), d.partitions().size(), Sizes.human(s.summary().bytesAdded()),
                        d.source(), d.usedOnly() ? " (used-only)" : "");
                if (longFormat) {
                    describe(ctx.out(), d);
                }
            }
            ctx.out().println("-".repeat(100));
            ctx.out().println(images.size() + " image snapshot" + (images.size() == 1 ? "" : "s"));
            return 0;
        }
    }

    /** Prints a device's layout: table, partitions, filesystems, what was skipped or unreadable. */
    static void describe(PrintStream out, ImageDescription d) {
        out.printf("  %s: %s, %d-byte sectors, partition table %s%s%n", d.name(), Sizes.human(d.deviceSize()),
                d.sectorSize(), d.scheme(), d.diskId().isEmpty() ? "" : " (" + d.diskId() + ")");
        d.tableProblems().forEach(p -> out.println("    table problem: " + p));
        List<ImageDescription.PartitionInfo> all = new ArrayList<>(d.partitions());
        if (d.volume() != null) {
            all.add(d.volume());
        }
        for (ImageDescription.PartitionInfo p : all) {
            String used = p.usedOnlyApplied() ? "used-only, " + Sizes.human(p.usedBytes()) + " in use"
                    : d.usedOnly() && !p.note().isEmpty() ? "every block: " + p.note() : "every block";
            out.printf("    %-6s  at %10s  %10s  %-8s  %-6s  %s%s%n", p.number() == 0 ? "whole" : "part" + p.number(),
                    Sizes.human(p.start()), Sizes.human(p.length()), p.filesystem(), p.type(), used,
                    p.label().isEmpty() ? "" : "  \"" + p.label() + "\"");
        }
        for (ByteRange r : d.unreadable()) {
            out.printf("    unreadable: bytes %d..%d (%s)%n", r.start(), r.end(), Sizes.human(r.length()));
        }
        if (d.changedWhileRead()) {
            out.println("    the source changed while it was read");
        }
    }
}
