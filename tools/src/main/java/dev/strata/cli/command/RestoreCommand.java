package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.TreePaths;
import dev.strata.snapshot.restore.OverwriteMode;
import dev.strata.snapshot.restore.RestoreRequest;
import dev.strata.snapshot.restore.RestoreResult;
import dev.strata.snapshot.restore.Restorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** {@code strata restore}: writes a snapshot (or part of it) back to disk. */
@Command(name = "restore", description = "Restore a snapshot, or a path inside it (SNAPSHOT:PATH), into a folder.")
final class RestoreCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;
    @Mixin
    SnapshotArgs select;

    @Parameters(paramLabel = "SNAPSHOT[:PATH]", description = "'latest' or an id, optionally with a path inside the snapshot.")
    String spec;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "DIR", description = "The folder to restore into (created if missing).")
    Path target;

    @Option(names = {"-i", "--include"}, paramLabel = "PATTERN", description = "Restore only paths matching PATTERN (gitignore syntax; repeatable).")
    List<String> includes = new ArrayList<>();

    @Option(names = {"-e", "--exclude"}, paramLabel = "PATTERN", description = "Leave out paths matching PATTERN (gitignore syntax; repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--overwrite", paramLabel = "MODE", defaultValue = "if-changed",
            description = "Existing files: always, if-changed (keep files of the same size and time; a resumed restore skips them), never. Default: ${DEFAULT-VALUE}.")
    String overwrite;

    @Option(names = "--verify", description = "Re-read every restored file and check it against the snapshot.")
    boolean verify;

    @Option(names = "--no-owners", description = "Do not restore owners (they are restored by default when running as root).")
    boolean noOwners;

    RestoreCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        OverwriteMode mode = parseMode(overwrite);
        RestoreSelection selection = RestoreSelection.of(includes, excludes);
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            SnapshotRef ref = SnapshotRef.resolve(new Snapshots(r), spec, select.filter());
            // Read back, a shareable volume's chunks are checked under its own key.
            dev.strata.snapshot.VolumeKeyRing.register(r, ref.snapshot());
            TreeStore trees = new TreeStore(r.store());
            Optional<Node> node = TreePaths.find(trees, ref.snapshot().tree(), ref.path());
            ChunkId tree;
            String origin;
            dev.strata.snapshot.restore.Selection selected = selection;
            if (node.isEmpty()) {
                tree = ref.snapshot().tree();
                origin = "/";
            } else if (node.get().isDirectory()) {
                tree = node.get().subtree();
                origin = ref.path();
            } else {
                // A single file: restore its folder, selecting only that entry.
                String parent = ref.path().substring(0, ref.path().lastIndexOf('/'));
                origin = parent.isEmpty() ? "/" : parent;
                Optional<Node> dir = TreePaths.find(trees, ref.snapshot().tree(), origin);
                tree = dir.map(Node::subtree).orElse(ref.snapshot().tree());
                selected = dev.strata.snapshot.restore.Selection.only(ref.path());
            }
            boolean owners = !noOwners && RestoreRequest.mayChangeOwners();
            RestoreRequest req = new RestoreRequest(tree, origin, target, selected, mode, verify, owners, 0);
            AtomicLong files = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            long totalBytes = ref.snapshot().summary().totalBytes();
            RestoreResult result;
            try (ProgressDisplay display = ProgressDisplay.start(ctx, output, () -> new ProgressDisplay.Status(
                    "restore", files.get(), bytes.get(), -1, node.isEmpty() ? totalBytes : -1))) {
                result = new Restorer(trees).run(req, (f, b) -> {
                    files.set(f);
                    bytes.set(b);
                });
            }
            return report(result, ref);
        }
    }

    private int report(RestoreResult result, SnapshotRef ref) {
        if (result.diskFull()) {
            // One line, not one per file that no longer fit: the rest of the list would say the same.
            ctx.err().printf("strata: restore stopped, the disk is full: %,d files restored (%s written) and %,d already "
                            + "there in %s; free some space and run the same restore again to resume%n",
                    result.filesRestored(), Sizes.human(result.bytesWritten()), result.filesSkipped(), target.toAbsolutePath());
        }
        result.refused().forEach(x -> ctx.err().println("refused: " + x));
        result.damaged().forEach(x -> ctx.err().println("damaged, not restored: " + x));
        result.problems().forEach(x -> ctx.err().println("warning: " + x));
        if (output.json) {
            var n = Json.MAPPER.createObjectNode();
            n.put("type", "summary");
            n.put("snapshot", ref.snapshot().id().toString());
            n.put("filesRestored", result.filesRestored());
            n.put("filesSkipped", result.filesSkipped());
            n.put("dirs", result.dirs());
            n.put("specialFiles", result.specials());
            n.put("bytesWritten", result.bytesWritten());
            n.put("diskFull", result.diskFull());
            var d = n.putArray("damaged");
            result.damaged().forEach(d::add);
            var f = n.putArray("refused");
            result.refused().forEach(f::add);
            var p = n.putArray("problems");
            result.problems().forEach(p::add);
            ctx.out().println(Json.write(n));
        } else if (!output.quiet && !result.diskFull()) {
            ctx.out().printf("restored %,d files (%s), %,d folders, %,d other entries into %s; %,d existing files kept%n",
                    result.filesRestored(), Sizes.human(result.bytesWritten()), result.dirs(), result.specials(),
                    target.toAbsolutePath(), result.filesSkipped());
            if (!result.damaged().isEmpty()) {
                ctx.out().printf("%,d file(s) could not be restored because their data is damaged (listed above)%n", result.damaged().size());
            }
        }
        if (result.diskFull()) {
            return ExitCode.FAILURE.code();
        }
        if (!result.damaged().isEmpty() || !result.refused().isEmpty()) {
            return ExitCode.CORRUPT.code();
        }
        return result.problems().isEmpty() ? ExitCode.OK.code() : ExitCode.INCOMPLETE.code();
    }

    private static OverwriteMode parseMode(String s) throws dev.strata.core.error.UserFacingException {
        switch (s) {
            case "always":
                return OverwriteMode.ALWAYS;
            case "if-changed":
                return OverwriteMode.IF_CHANGED;
            case "never":
                return OverwriteMode.NEVER;
            default:
                throw new dev.strata.core.error.UserFacingException(ExitCode.USAGE,
                        "--overwrite must be always, if-changed or never, not '" + s + "'");
        }
    }
}
