package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.id.ChunkId;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.OpenOptions;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.CachedSnapshots;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.TreePaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.strata.core.name.NameBytes;
import dev.strata.core.name.Printable;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code strata ls}: lists what a snapshot holds. */
@Command(name = "ls", description = "List the files in a snapshot.")
final class LsCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;
    @Mixin
    SnapshotArgs select;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "'latest' or a snapshot id.")
    String snapshot;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "A folder or file inside the snapshot (default: /).")
    String path = "/";

    @Option(names = {"-l", "--long"}, description = "Show mode, owner, size and modification time.")
    boolean longFormat;

    @Option(names = "--no-recursive", description = "List only the folder itself, not what is below it.")
    boolean noRecursive;

    LsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        // A built index is not brought in line at open, which lists every pack (seconds at a million chunks):
        // a tree in a pack it does not know yet (another client's snapshot) brings it up to date when read.
        // The cached snapshot records are read while the key is derived.
        CachedSnapshots.Prefetch cached = CachedSnapshots.prefetch();
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ,
                o -> o.withIndexSync(OpenOptions.IndexSync.WHEN_EMPTY).withCacheWarmUp(cached))) {
            SnapshotRef ref = SnapshotRef.resolve(new Snapshots(r, cached), snapshot, select.filter());
            TreeStore trees = new TreeStore(r.store());
            String start = TreePaths.normalise(path);
            Optional<Node> node = TreePaths.find(trees, ref.snapshot().tree(), start);
            if (node.isPresent() && !node.get().isDirectory()) {
                print(node.get(), start);
            } else {
                ChunkId tree = node.map(Node::subtree).orElse(ref.snapshot().tree());
                walk(trees, tree, start.equals("/") ? "" : start);
            }
        }
        return ExitCode.OK.code();
    }

    private void walk(TreeStore trees, ChunkId tree, String dir) throws Exception {
        for (Node n : trees.read(tree).nodes()) {
            String p = dir + "/" + n.name();
            print(n, p);
            if (n.isDirectory() && !noRecursive) {
                walk(trees, n.subtree(), p);
            }
        }
    }

    private void print(Node n, String p) {
        if (output.json) {
            var o = Json.MAPPER.createObjectNode();
            o.put("path", p);
            o.put("type", n.type().name().toLowerCase(java.util.Locale.ROOT));
            o.put("mode", n.mode());
            o.put("uid", n.uid());
            o.put("gid", n.gid());
            o.put("user", n.user());
            o.put("group", n.group());
            o.put("size", n.size());
            o.put("mtime", n.mtime().toString());
            o.put("atime", n.atime().toString());
            o.put("ctime", n.ctime().toString());
            o.put("inode", n.inode());
            o.put("links", n.links());
            if (n.type() == NodeType.SYMLINK) {
                o.put("target", NameBytes.decode(n.linkTarget()));
            }
            ctx.out().println(Json.write(o));
        } else if (longFormat) {
            ctx.out().printf("%s %-8s %-8s %12d %s %s%s%n", modeString(n), n.user().isEmpty() ? n.uid() : n.user(),
                    n.group().isEmpty() ? n.gid() : n.group(), n.size(), Times.local(n.mtime().toInstant()), Printable.of(p),
                    n.type() == NodeType.SYMLINK ? " -> " + Printable.of(NameBytes.decode(n.linkTarget())) : "");
        } else {
            ctx.out().println(Printable.of(p) + (n.isDirectory() ? "/" : ""));
        }
    }

    static String modeString(Node n) {
        char type = switch (n.type()) {
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case FIFO -> 'p';
            case SOCKET -> 's';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
            default -> '-';
        };
        int m = n.mode();
        StringBuilder sb = new StringBuilder().append(type);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        if ((m & 04000) != 0) {
            sb.setCharAt(3, (m & 0100) != 0 ? 's' : 'S');
        }
        if ((m & 02000) != 0) {
            sb.setCharAt(6, (m & 010) != 0 ? 's' : 'S');
        }
        if ((m & 01000) != 0) {
            sb.setCharAt(9, (m & 01) != 0 ? 't' : 'T');
        }
        return sb.toString();
    }
}
