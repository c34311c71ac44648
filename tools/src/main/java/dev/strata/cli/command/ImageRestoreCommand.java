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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.name.Printable;
import java.util.concurrent.Callable;

/** {@code strata image restore}: writes an image, or one partition of it, to a device or file and verifies it. */
@Command(name = "restore", description = {"Write an image (or one partition of it) to a block device or file, then verify it.",
        "A file target stays sparse. A mounted or too small target is refused; a larger one is fine.",
        "With --path, copy files out of the image instead (e.g. --path part1/home/me --target DIR)."})
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

    @Option(names = "--path", paramLabel = "PATH", description = "Copy this file or folder inside the image (partN/… or disk/…) into the folder --target.")
    String path;

    ImageRestoreCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        if (path != null) {
            return copyFiles();
        }
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

    /** {@code --path}: the file or folder at {@code path} inside the image, copied into the folder {@code target}. */
    private int copyFiles() throws Exception {
        if (partition != 0 || overwrite) {
            throw new UserFacingException(ExitCode.USAGE, "--path copies files; it does not go with --partition or --overwrite");
        }
        if (!Files.isDirectory(target)) {
            throw new UserFacingException(ExitCode.NOT_FOUND, "--target " + target + " is not a folder");
        }
        String base = java.util.Arrays.stream(path.split("/")).filter(p -> !p.isEmpty() && !p.equals(".")).reduce((a, b) -> b)
                .orElseThrow(() -> new UserFacingException(ExitCode.USAGE, "--path names nothing inside the image"));
        Path into = target.resolve(base);
        if (Files.exists(into, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new UserFacingException(ExitCode.ALREADY_EXISTS, into + " already exists");
        }
        List<String> problems = new ArrayList<>();
        ImageFilesExport export = new ImageFilesExport();
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ);
             ImageFiles files = new ImageFiles(r, spec, problems::add)) {
            export.export(files.resolve(path), into);
            problems.addAll(export.problems);
            for (String p : problems) {
                ctx.err().println("strata: " + Printable.of(p));
            }
            if (output.json) {
                var n = Json.MAPPER.createObjectNode();
                n.put("type", "summary");
                n.put("snapshot", files.snapshot.id().toString());
                n.put("path", path);
                n.put("target", into.toString());
                n.put("files", export.files);
                n.put("bytes", export.bytes);
                n.put("problems", problems.size());
                ctx.out().println(n.toString());
            } else if (!output.quiet) {
                ctx.out().printf("copied %s from %s (%s) to %s: %d files, %s%s%n", path, Images.nameOf(files.snapshot).orElse("?"),
                        files.snapshot.shortId(), into, export.files, Sizes.human(export.bytes),
                        export.problems.isEmpty() ? "" : ", " + export.problems.size() + " left out (listed above)");
            }
            return export.problems.isEmpty() ? 0 : ExitCode.INCOMPLETE.code();
        }
    }
}
