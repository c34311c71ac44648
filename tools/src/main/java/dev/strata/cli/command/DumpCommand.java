package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.TreePaths;
import dev.strata.snapshot.archive.ArchiveFormat;
import dev.strata.snapshot.archive.DumpResult;
import dev.strata.snapshot.archive.SnapshotDump;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code strata dump}: streams a folder or file of a snapshot as a tar, tar.zst or zip archive. */
@Command(name = "dump", description = "Write a snapshot, or a folder or file inside it (SNAPSHOT:PATH), as a tar, tar.zst or zip archive.",
        footer = {"", "tar keeps modes, owners, nanosecond times, xattrs, symlinks, hard links, FIFOs and devices,",
                "and files with holes as PAX sparse entries. zip keeps modes, owners, times and symlinks only."})
final class DumpCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;
    @Mixin
    SnapshotArgs select;

    @Parameters(paramLabel = "SNAPSHOT[:PATH]", description = "'latest' or an id, optionally with a path inside the snapshot.")
    String spec;

    @Option(names = "--format", paramLabel = "tar|tar.zst|zip",
            description = "The archive format (default: from the -o file's name, else tar).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the archive to FILE instead of standard output.")
    Path file;

    DumpCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        ArchiveFormat fmt = format != null ? ArchiveFormat.parse(format)
                : file != null ? ArchiveFormat.forFileName(file.getFileName().toString()) : ArchiveFormat.TAR;
        if (file == null && ctx.terminal()) {
            throw new UserFacingException(ExitCode.USAGE, "an archive is not for a terminal: redirect standard output or use -o FILE");
        }
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            SnapshotRef ref = SnapshotRef.resolve(new Snapshots(r), spec, select.filter());
            dev.strata.snapshot.VolumeKeyRing.register(r, ref.snapshot());
            TreeStore trees = new TreeStore(r.store());
            Optional<Node> node = ref.path().equals("/") ? Optional.empty()
                    : Optional.of(TreePaths.find(trees, ref.snapshot().tree(), ref.path()).orElseThrow(() -> new UserFacingException(
                    ExitCode.NOT_FOUND, "snapshot " + ref.snapshot().shortId() + " has no " + ref.path())));
            DumpResult result;
            try (SnapshotDump dump = new SnapshotDump(trees)) {
                if (file == null) {
                    result = run(dump, node, ref, fmt, new BufferedOutputStream(new KeepOpen(ctx.out()), 1 << 16));
                } else {
                    try {
                        result = run(dump, node, ref, fmt, new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
                    } catch (IOException | RuntimeException e) {
                        Files.deleteIfExists(file); // half an archive reads as a whole one cut short
                        throw e;
                    }
                }
            }
            LeftOutLines.print(ctx.err(), result.warnings(), result.leftOut());
            if (output.json) {
                var n = Json.MAPPER.createObjectNode();
                n.put("type", "summary");
                n.put("snapshot", ref.snapshot().id().toString());
                n.put("format", fmt.label());
                n.put("entries", result.entries());
                n.put("bytes", result.bytes());
                n.put("leftOut", result.leftOut());
                var w = n.putArray("warnings");
                result.warnings().forEach(w::add);
                // On standard output only when the archive is not there.
                (file != null ? ctx.out() : ctx.err()).println(Json.write(n));
            } else if (file != null && !output.quiet) {
                ctx.err().printf("wrote %,d entries (%s of file data) to %s%n", result.entries(), Sizes.human(result.bytes()), file);
            }
            return result.leftOut() == 0 ? ExitCode.OK.code() : ExitCode.INCOMPLETE.code();
        }
    }

    private static DumpResult run(SnapshotDump dump, Optional<Node> node, SnapshotRef ref, ArchiveFormat fmt, OutputStream out)
            throws IOException {
        if (node.isEmpty()) {
            return dump.folder(ref.snapshot().tree(), null, fmt, out);
        }
        return node.get().isDirectory() ? dump.folder(node.get().subtree(), node.get(), fmt, out) : dump.entry(node.get(), fmt, out);
    }

    /** Standard output, flushed but never closed by the archive's end. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
