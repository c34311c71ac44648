package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.name.Printable;
import dev.strata.core.posix.PathBytes;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.Snapshots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.PatternSyntaxException;

/** {@code strata find}: which snapshots hold files matching a pattern. */
@Command(name = "find", description = "Find files by name (glob: *, ?, [a-z]) in every snapshot; a pattern with / matches whole paths.")
final class FindCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;
    @Mixin
    OutputArgs output;
    @Mixin
    SnapshotArgs select;

    @Parameters(paramLabel = "PATTERN",
            description = "A glob matched against each name ('*.jpg'), or, when it holds a /, against the whole "
                    + "path from the snapshot's root ('/home/*/notes/**'). Case-sensitive unless --ignore-case.")
    String pattern;

    @Option(names = "--ignore-case", description = "Match letters whatever their case: '*.jpg' finds photo.JPG too.")
    boolean ignoreCase;

    FindCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        boolean wholePath = pattern.contains("/");
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + fold(pattern));
        } catch (PatternSyntaxException e) {
            throw new UserFacingException(ExitCode.USAGE, "malformed pattern '" + pattern + "': " + e.getDescription());
        }
        int found = 0;
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            TreeStore trees = new TreeStore(r.store());
            // Trees shared by many snapshots are searched once when matching names only.
            Map<ChunkId, List<String>> memo = new HashMap<>();
            for (Snapshot s : select.filter().apply(new Snapshots(r).list())) {
                List<String> hits = new ArrayList<>();
                search(trees, s.tree(), "", matcher, wholePath, memo, hits);
                for (String h : hits) {
                    found++;
                    if (output.json) {
                        var n = Json.MAPPER.createObjectNode();
                        n.put("snapshot", s.id().toString());
                        n.put("time", s.time().toString());
                        n.put("path", h);
                        ctx.out().println(Json.write(n));
                    } else {
                        ctx.out().printf("%s  %s  %s%n", s.shortId(), Times.local(s.time()), Printable.of(h));
                    }
                }
            }
        }
        if (!output.json && !output.quiet) {
            ctx.out().printf("%,d match%s%n", found, found == 1 ? "" : "es");
        }
        return found > 0 ? ExitCode.OK.code() : ExitCode.NOT_FOUND.code();
    }

    /**
     * The text as it is matched: with --ignore-case, pattern and names alike in lower case (so a class
     * like [A-Z] in the pattern becomes [a-z] and still means "any letter" of either case).
     */
    private String fold(String s) {
        return ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
    }

    private void search(TreeStore trees, ChunkId tree, String dir, PathMatcher matcher, boolean wholePath,
                        Map<ChunkId, List<String>> memo, List<String> out) throws IOException {
        if (!wholePath) {
            List<String> rel = memo.get(tree);
            if (rel == null) {
                rel = new ArrayList<>();
                collectNames(trees, tree, "", matcher, memo, rel);
                memo.put(tree, rel);
            }
            for (String r : rel) {
                out.add(dir + r);
            }
            return;
        }
        for (Node n : trees.read(tree).nodes()) {
            String p = dir + "/" + n.name();
            if (matcher.matches(PathBytes.path(fold(p)))) {
                out.add(p + (n.isDirectory() ? "/" : ""));
            }
            if (n.isDirectory()) {
                search(trees, n.subtree(), p, matcher, true, memo, out);
            }
        }
    }

    private void collectNames(TreeStore trees, ChunkId tree, String dir, PathMatcher matcher,
                              Map<ChunkId, List<String>> memo, List<String> out) throws IOException {
        for (Node n : trees.read(tree).nodes()) {
            String p = dir + "/" + n.name();
            if (matcher.matches(PathBytes.path(fold(n.name())))) {
                out.add(p + (n.isDirectory() ? "/" : ""));
            }
            if (n.isDirectory()) {
                List<String> sub = memo.get(n.subtree());
                if (sub == null) {
                    sub = new ArrayList<>();
                    collectNames(trees, n.subtree(), "", matcher, memo, sub);
                    memo.put(n.subtree(), sub);
                }
                for (String s : sub) {
                    out.add(p + s);
                }
            }
        }
    }
}
