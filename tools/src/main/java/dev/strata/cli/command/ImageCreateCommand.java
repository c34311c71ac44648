package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.image.ImageCounters;
import dev.strata.image.ImageCreator;
import dev.strata.image.ImageDescription;
import dev.strata.image.ImageRequest;
import dev.strata.image.ImageResult;
import dev.strata.image.source.FileImageSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata image create}: saves a block device or image file as a new image snapshot. */
@Command(name = "create", description = {"Save a block device or image file as an image snapshot.",
        "Zero runs and (with --used-only) unused filesystem blocks are not stored; "
                + "a later image of the same name stores only new chunks."})
final class ImageCreateCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;

    @Parameters(paramLabel = "SOURCE", description = "A block device (/dev/sdb) or an image file.")
    Path source;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The image's name; images of one name are increments of each other.")
    String name;

    @Option(names = "--used-only", description = {"Read only the used blocks of ext2/3/4 and FAT filesystems; unused ones "
            + "restore as zeros (not bit-identical in free space). Other filesystems are read whole."})
    boolean usedOnly;

    @Option(names = "--tag", paramLabel = "TAG", description = "Tag the snapshot (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--host", paramLabel = "NAME", description = "Record this host name instead of this machine's.")
    String host;

    @Option(names = "--time", paramLabel = "TIME", description = "Record this time (ISO-8601) instead of now.")
    String time;

    ImageCreateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Instant when = null;
        if (time != null) {
            try {
                when = Instant.parse(time);
            } catch (java.time.format.DateTimeParseException e) {
                throw new UserFacingException(ExitCode.USAGE, "--time must look like 2026-11-26T10:20:30Z, not '" + time + "'");
            }
        }
        ImageRequest req = ImageRequest.of(name).withUsedOnly(usedOnly).withTags(tags).withHost(host).withTime(when);
        ImageCounters counters = new ImageCounters();
        ImageResult result;
        try (FileImageSource src = FileImageSource.open(source);
             Repository r = RepositoryAccess.open(ctx, repo, LockMode.APPEND)) {
            try (ProgressDisplay display = ProgressDisplay.start(ctx, output, () -> new ProgressDisplay.Status(
                    counters.phase, 1, counters.bytesDone.get(), 1, counters.totalBytes.get()))) {
                result = new ImageCreator(r).create(src, req, counters,
                        w -> ctx.err().println((ctx.terminal() ? "\r" : "") + "warning: " + w));
            }
        }
        print(result);
        return result.incomplete() ? ExitCode.INCOMPLETE.code() : ExitCode.OK.code();
    }

    private void print(ImageResult result) {
        ImageDescription d = result.description();
        if (output.json) {
            var n = Json.MAPPER.createObjectNode();
            n.put("type", "summary");
            n.put("snapshot", result.snapshot().id().toString());
            n.put("bytesRead", result.bytesRead());
            n.put("bytesAdded", result.bytesAdded());
            n.put("bytesStored", result.bytesStored());
            n.set("image", d.toJson());
            var w = n.putArray("warnings");
            result.warnings().forEach(w::add);
            ctx.out().println(n.toString());
            return;
        }
        if (output.quiet) {
            return;
        }
        ImageListCommand.describe(ctx.out(), d);
        ctx.out().printf("read %s, added %s (%s stored) in %.1f s%n", Sizes.human(result.bytesRead()),
                Sizes.human(result.bytesAdded()), Sizes.human(result.bytesStored()),
                result.snapshot().summary().duration().toMillis() / 1000.0);
        if (result.incomplete()) {
            ctx.out().printf("incomplete: %,d unreadable range(s) saved as zeros (see warnings above)%n", d.unreadable().size());
        }
        ctx.out().println("image " + d.name() + " snapshot " + result.snapshot().shortId() + " saved");
    }
}
