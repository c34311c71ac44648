package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotSummary;
import dev.strata.snapshot.archive.ImportResult;
import dev.strata.snapshot.archive.TarImport;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** {@code strata backup --from-tar}: a tarball saved as a snapshot, with the backup's summary. Confined to one thread. */
final class TarImportRun {
    private final CliContext ctx;
    private final RepoArgs repo;
    private final OutputArgs output;

    TarImportRun(CliContext ctx, RepoArgs repo, OutputArgs output) {
        this.ctx = ctx;
        this.repo = repo;
        this.output = output;
    }

    int run(String source, List<String> tags, String host, Instant time) throws Exception {
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.APPEND)) {
            AtomicLong bytes = new AtomicLong();
            ImportResult result;
            try (InputStream in = open(source);
                 ProgressDisplay display = ProgressDisplay.start(ctx, output, () -> new ProgressDisplay.Status(
                         "import", -1, bytes.get(), -1, -1))) {
                result = new TarImport(r).run(in, tags, host, time, bytes::addAndGet);
            }
            LeftOutLines.print(ctx.err(), result.warnings(), result.leftOut());
            print(result);
            return result.leftOut() == 0 ? ExitCode.OK.code() : ExitCode.INCOMPLETE.code();
        }
    }

    private InputStream open(String source) throws Exception {
        if (source.equals("-")) {
            return new java.io.FilterInputStream(ctx.in()) {
                @Override
                public void close() {
                    // standard input stays open
                }
            };
        }
        try {
            return Files.newInputStream(Path.of(source));
        } catch (NoSuchFileException e) {
            throw new UserFacingException(ExitCode.NOT_FOUND, "cannot import " + source + ": it does not exist");
        }
    }

    private void print(ImportResult result) {
        Snapshot s = result.snapshot();
        SnapshotSummary m = s.summary();
        if (output.json) {
            var n = Json.MAPPER.createObjectNode();
            n.put("type", "summary");
            n.put("snapshot", s.id().toString());
            n.put("files", m.totalFiles());
            n.put("dirs", m.dirsNew());
            n.put("bytesRead", m.bytesRead());
            n.put("bytesAdded", m.bytesAdded());
            n.put("bytesStored", m.bytesStored());
            n.put("seconds", m.duration().toMillis() / 1000.0);
            n.put("leftOut", result.leftOut());
            var w = n.putArray("warningList");
            result.warnings().forEach(w::add);
            ctx.out().println(Json.write(n));
            return;
        }
        if (output.quiet) {
            return;
        }
        ctx.out().printf("imported %,d files and %,d folders: read %s, added %s (%s stored) in %.1f s%n", m.totalFiles(), m.dirsNew(),
                Sizes.human(m.bytesRead()), Sizes.human(m.bytesAdded()), Sizes.human(m.bytesStored()), m.duration().toMillis() / 1000.0);
        if (result.leftOut() > 0) {
            ctx.out().printf("incomplete: %,d entr%s left out (see warnings above)%n", result.leftOut(),
                    result.leftOut() == 1 ? "y" : "ies");
        }
        ctx.out().println("snapshot " + s.shortId() + " saved");
    }
}
