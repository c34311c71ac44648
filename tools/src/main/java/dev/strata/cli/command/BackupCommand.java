package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotId;
import dev.strata.snapshot.SnapshotSummary;
import dev.strata.snapshot.backup.Backup;
import dev.strata.snapshot.backup.BackupCounters;
import dev.strata.snapshot.backup.BackupProgress;
import dev.strata.snapshot.backup.BackupRequest;
import dev.strata.snapshot.backup.BackupResult;
import dev.strata.snapshot.backup.LocalSourceFs;
import dev.strata.snapshot.backup.Warnings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** {@code strata backup}: saves files and folders as a new snapshot. */
@Command(name = "backup", description = "Save files and folders as a new snapshot.")
final class BackupCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;
    @Mixin
    FilterArgs filters;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files and folders to save.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--stdin", description = "Save standard input as one file (see --stdin-filename).")
    boolean stdin;

    @Option(names = "--stdin-filename", paramLabel = "NAME", defaultValue = "stdin",
            description = "The file name for --stdin (default: ${DEFAULT-VALUE}).")
    String stdinFilename;

    @Option(names = "--from-tar", paramLabel = "FILE|-",
            description = "Save the tree inside a tarball (plain, gzip, bzip2, xz or zstd; - for standard input) as the snapshot, with the metadata its headers hold.")
    String fromTar;

    @Option(names = "--tag", paramLabel = "TAG", description = "Tag the snapshot (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--host", paramLabel = "NAME", description = "Record this host name instead of this machine's.")
    String host;

    @Option(names = "--time", paramLabel = "TIME", description = "Record this time (ISO-8601, e.g. 2026-11-26T10:20:30Z) instead of now.")
    String time;

    @Option(names = "--parent", paramLabel = "ID", description = "Compare with this snapshot to skip unchanged files (default: the latest of this host and paths).")
    String parent;

    @Option(names = "--force", description = "Read every file, ignoring earlier snapshots.")
    boolean force;

    BackupCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        List<Path> sources = new ArrayList<>(paths);
        sources.addAll(filters.filesFrom(ctx));
        if (fromTar != null) {
            if (stdin || !sources.isEmpty()) {
                throw new UserFacingException(ExitCode.USAGE, "--from-tar saves the tarball only; give no paths or --stdin with it");
            }
            return new TarImportRun(ctx, repo, output).run(fromTar, tags, host, parseTime());
        }
        if (stdin && !sources.isEmpty()) {
            throw new UserFacingException(ExitCode.USAGE, "--stdin saves standard input only; give no paths with it");
        }
        if (!stdin && sources.isEmpty()) {
            throw new UserFacingException(ExitCode.USAGE, "nothing to back up: name at least one path (or use --stdin)");
        }
        Instant when = parseTime();
        BackupCounters counters = new BackupCounters();
        AtomicLong totalFiles = new AtomicLong(-1);
        AtomicLong totalBytes = new AtomicLong(-1);
        BackupProgress progress = new BackupProgress() {
            @Override
            public void totals(long files, long bytes) {
                totalFiles.set(files);
                totalBytes.set(bytes);
            }

            @Override
            public void warning(Warnings.Warning w) {
                ctx.err().println((ctx.terminal() ? "\r" : "") + "warning: " + w);
            }
        };
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.APPEND)) {
            BackupRequest req = BackupRequest.of(sources.isEmpty() ? List.of(Path.of("/")) : sources)
                    .withTags(tags).withHost(host).withTime(when)
                    .withParent(parent == null ? null : resolveParent(r, parent), force)
                    .withFilter(filters.build(ctx), filters.describe())
                    .withOneFileSystem(filters.oneFileSystem);
            BackupResult result;
            try (ProgressDisplay display = ProgressDisplay.start(ctx, output, () -> new ProgressDisplay.Status(
                    "backup", counters.filesDone(), counters.bytesDone(), totalFiles.get(), totalBytes.get()))) {
                Backup backup = new Backup(r, new LocalSourceFs());
                result = stdin ? backup.runStdin(ctx.in(), stdinFilename, req, counters) : backup.run(req, counters, progress);
            }
            print(result);
            return result.incomplete() ? ExitCode.INCOMPLETE.code() : ExitCode.OK.code();
        }
    }

    private Instant parseTime() throws UserFacingException {
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (java.time.format.DateTimeParseException e) {
            throw new UserFacingException(ExitCode.USAGE, "--time must look like 2026-11-26T10:20:30Z, not '" + time + "'");
        }
    }

    private static SnapshotId resolveParent(Repository r, String spec) throws Exception {
        var all = new dev.strata.snapshot.Snapshots(r).list();
        return dev.strata.snapshot.SnapshotSelector.select(all, spec, dev.strata.snapshot.SnapshotFilter.ANY).id();
    }

    private void print(BackupResult result) throws Exception {
        Snapshot s = result.snapshot();
        SnapshotSummary m = s.summary();
        if (output.json) {
            var n = Json.MAPPER.createObjectNode();
            n.put("type", "summary");
            n.put("snapshot", s.id().toString());
            n.put("filesNew", m.filesNew());
            n.put("filesChanged", m.filesChanged());
            n.put("filesUnchanged", m.filesUnchanged());
            n.put("dirsNew", m.dirsNew());
            n.put("dirsChanged", m.dirsChanged());
            n.put("dirsUnchanged", m.dirsUnchanged());
            n.put("bytesRead", m.bytesRead());
            n.put("bytesAdded", m.bytesAdded());
            n.put("bytesStored", m.bytesStored());
            n.put("totalFiles", m.totalFiles());
            n.put("totalBytes", m.totalBytes());
            n.put("filesOpened", result.counters().filesOpened());
            n.put("warnings", m.warnings());
            n.put("changedWhileRead", m.changedWhileRead());
            n.put("seconds", m.duration().toMillis() / 1000.0);
            var w = n.putArray("warningList");
            result.warnings().forEach(x -> w.add(x.toString()));
            ctx.out().println(Json.write(n));
            return;
        }
        if (output.quiet) {
            return;
        }
        ctx.out().printf("files:  %,d new, %,d changed, %,d unchanged%n", m.filesNew(), m.filesChanged(), m.filesUnchanged());
        ctx.out().printf("dirs:   %,d new, %,d changed, %,d unchanged%n", m.dirsNew(), m.dirsChanged(), m.dirsUnchanged());
        ctx.out().printf("read %s, added %s (%s stored) in %.1f s%n", Sizes.human(m.bytesRead()), Sizes.human(m.bytesAdded()),
                Sizes.human(m.bytesStored()), m.duration().toMillis() / 1000.0);
        if (m.changedWhileRead() > 0) {
            ctx.out().printf("%,d file(s) changed while being read; saved as read and flagged%n", m.changedWhileRead());
        }
        if (result.warningCount() > 0) {
            ctx.out().printf("incomplete: %,d path(s) could not be saved (see warnings above)%n", result.warningCount());
        }
        ctx.out().println("snapshot " + s.shortId() + " saved");
    }
}
