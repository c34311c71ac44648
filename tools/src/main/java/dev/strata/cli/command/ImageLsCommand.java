package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.name.Printable;
import dev.strata.core.tree.NodeType;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.ViewNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata image ls}: the files inside an image, as the mount's {@code images/<name>/<time>/} shows them. */
@Command(name = "ls", description = {"List the files inside an image: its image files and partN/ (or disk/) folders,",
        "and the files of each ext2/3/4 or FAT filesystem in them."})
final class ImageLsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;

    @Parameters(index = "0", paramLabel = "NAME[:SNAPSHOT]", description = "The image: its latest snapshot, or NAME:ID.")
    String spec;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "A folder or file inside it, e.g. part1/home/me.")
    String path = "";

    ImageLsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        List<String> problems = new ArrayList<>();
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ);
             ImageFiles files = new ImageFiles(r, spec, problems::add)) {
            ViewNode node = files.resolve(path);
            Attributes a = node.attributes();
            List<DirEntry> entries = a.type() == NodeType.DIRECTORY ? node.list()
                    : List.of(new DirEntry(path.substring(path.lastIndexOf('/') + 1), a));
            var json = Json.MAPPER.createArrayNode();
            for (DirEntry e : entries) {
                Attributes x = e.attributes();
                String target = "";
                if (x.type() == NodeType.SYMLINK) {
                    ViewNode link = a.type() == NodeType.DIRECTORY ? node.child(e.name()).orElseThrow() : node;
                    target = new String(link.readLink(), StandardCharsets.UTF_8);
                }
                if (output.json) {
                    var n = json.addObject();
                    n.put("name", e.name());
                    n.put("type", x.type().name().toLowerCase(java.util.Locale.ROOT));
                    n.put("mode", x.mode());
                    n.put("uid", x.uid());
                    n.put("gid", x.gid());
                    n.put("size", x.size());
                    n.put("mtime", x.mtime().toString());
                    if (!target.isEmpty()) {
                        n.put("target", target);
                    }
                } else if (!output.quiet) {
                    ctx.out().printf("%s %5d %5d %12d %s %s%s%n", modeString(x), x.uid(), x.gid(), x.size(),
                            TIME.format(x.mtime().toInstant()), Printable.of(e.name()), target.isEmpty() ? "" : " -> " + Printable.of(target));
                }
            }
            if (output.json) {
                ctx.out().println(json.toString());
            }
            for (String p : problems) {
                ctx.err().println("strata: " + Printable.of(p));
            }
            return 0;
        }
    }

    static String modeString(Attributes a) {
        char t = switch (a.type()) {
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case FIFO -> 'p';
            case SOCKET -> 's';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
            default -> '-';
        };
        StringBuilder s = new StringBuilder().append(t);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((a.mode() & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        if ((a.mode() & 04000) != 0) {
            s.setCharAt(3, s.charAt(3) == 'x' ? 's' : 'S');
        }
        if ((a.mode() & 02000) != 0) {
            s.setCharAt(6, s.charAt(6) == 'x' ? 's' : 'S');
        }
        if ((a.mode() & 01000) != 0) {
            s.setCharAt(9, s.charAt(9) == 'x' ? 't' : 'T');
        }
        return s.toString();
    }
}
