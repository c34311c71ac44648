package dev.strata.snapshot.backup.filter;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rough throughput figure for the matcher on a synthetic tree of 100k paths with realistic rules
 * (printed, never asserted: the machine is shared), plus a consistency check between the two ways
 * of evaluating rules: a DirectoryFilter walk and IgnoreRules.isExcluded.
 */
class FilterThroughputTest {
    private static final Path ROOT = Path.of("/home/ana");
    private static final int PATHS = 100_000;

    private static final String[] DIRS = {"src", "main", "java", "docs", "photos", "2023", "2024", "build", "target",
        "node_modules", ".cache", ".git", "tmp", "lib", "vendor", "assets", "Downloads", "projects", "notes", "out"};
    private static final String[] EXTS = {".java", ".txt", ".log", ".tmp", ".o", ".jpg", ".JPG", ".md", ".iso",
        ".class", ".swp", ".pdf", ".js", ".json", ".bak", ""};

    private static final String ROOT_IGNORE = String.join("\n",
            "# typical home-directory ignore file",
            "*.log", "!important.log", "*.tmp", "*.o", "*.class", "*.swp", "*~", "build/", "target/",
            "node_modules/", ".cache/", "/Downloads/", "**/out/**", "vendor/**/*.js", "[Tt]humbs.db",
            "photos/**/*.[Jj][Pp][Gg]", "!photos/2024/**/*.jpg", "notes/*/drafts/", "").replace("\n", "\n");

    private static final String[] COMMAND_LINE = {"*.iso", "/home/ana/tmp", ".git/", "*.bak", "core.[0-9]*"};

    /** An in-memory tree: directory (relative, "" for the root) → entry names. */
    private record Tree(Map<String, List<String>> children, Set<String> directories, int paths) {}

    private static Tree tree(long seed, int size) {
        Random r = new Random(seed);
        Map<String, List<String>> children = new HashMap<>();
        Set<String> dirs = new HashSet<>();
        List<String> dirList = new ArrayList<>();
        dirs.add("");
        dirList.add("");
        children.put("", new ArrayList<>());
        int paths = 0;
        while (paths < size) {
            String parent = dirList.get(r.nextInt(dirList.size()));
            int depth = parent.isEmpty() ? 0 : parent.split("/").length;
            boolean makeDir = depth < 9 && r.nextInt(8) == 0;
            String name = makeDir
                    ? DIRS[r.nextInt(DIRS.length)] + (r.nextInt(3) == 0 ? "" : String.valueOf(r.nextInt(50)))
                    : "f" + r.nextInt(5000) + EXTS[r.nextInt(EXTS.length)];
            if (r.nextInt(200) == 0) {
                name = r.nextBoolean() ? "important.log" : "Thumbs.db";
            }
            String path = parent.isEmpty() ? name : parent + "/" + name;
            List<String> siblings = children.get(parent);
            if (siblings.contains(name)) {
                continue;
            }
            siblings.add(name);
            paths++;
            if (makeDir) {
                dirs.add(path);
                dirList.add(path);
                children.put(path, new ArrayList<>());
            }
        }
        return new Tree(children, dirs, paths);
    }

    /** Walks the tree like the backup walker; returns the kept relative paths. */
    private static Set<String> walk(ExcludeFilter filter, Tree t) {
        Set<String> kept = new HashSet<>();
        walk(filter.root(ROOT, t.children().get("")), "", t, kept);
        return kept;
    }

    private static void walk(DirectoryFilter f, String dir, Tree t, Set<String> kept) {
        for (String name : t.children().get(dir)) {
            String path = dir.isEmpty() ? name : dir + "/" + name;
            boolean isDir = t.directories().contains(path);
            if (f.excludes(name, isDir, 1000)) {
                continue;
            }
            kept.add(path);
            if (isDir) {
                walk(f.enter(name, t.children().get(path)), path, t, kept);
            }
        }
    }

    private static List<String> allPaths(Tree t) {
        List<String> out = new ArrayList<>();
        t.children().forEach((dir, names) -> names.forEach(n -> out.add(dir.isEmpty() ? n : dir + "/" + n)));
        return out;
    }

    @Test
    void walk_100kPaths_throughput() {
        Tree t = tree(42, PATHS);
        MemoryFilterFiles files = new MemoryFilterFiles()
                .put(ROOT.resolve(".strataignore"), ROOT_IGNORE)
                .put(ROOT.resolve("projects/.strataignore"), "!*.log\n/secret\n*.json\n");
        t.children().get("").add(".strataignore");
        t.children().computeIfAbsent("projects", k -> {
            t.directories().add("projects");
            t.children().get("").add("projects");
            return new ArrayList<>();
        }).add(".strataignore");
        ExcludeFilter.Builder b = ExcludeFilter.builder().files(files);
        for (String p : COMMAND_LINE) {
            b.exclude(p);
        }
        b.iexclude("*.PDF");
        ExcludeFilter filter = b.build();

        Set<String> kept = Set.of();
        long bestWalk = Long.MAX_VALUE;
        for (int run = 0; run < 10; run++) { // the first half warms the JIT up
            long start = System.nanoTime();
            kept = walk(filter, t);
            bestWalk = run < 5 ? bestWalk : Math.min(bestWalk, System.nanoTime() - start);
        }

        // The checks alone: every entry the walk looks at, with its directory's filter prepared.
        List<DirectoryFilter> filters = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Boolean> isDir = new ArrayList<>();
        collect(filter.root(ROOT, t.children().get("")), "", t, filters, names, isDir);
        int checks = names.size();
        long bestChecks = Long.MAX_VALUE;
        for (int run = 0; run < 10; run++) {
            long start = System.nanoTime();
            int excluded = 0;
            for (int i = 0; i < checks; i++) {
                excluded += filters.get(i).excludes(names.get(i), isDir.get(i), 1000) ? 1 : 0;
            }
            bestChecks = run < 5 ? bestChecks : Math.min(bestChecks, System.nanoTime() - start);
            assertThat(excluded).isPositive();
        }

        List<String> paths = allPaths(t);
        IgnoreRules rules = IgnoreRules.parseIgnoreFile(ROOT_IGNORE, "root", false);
        long bestRules = Long.MAX_VALUE;
        for (int run = 0; run < 6; run++) {
            long start = System.nanoTime();
            int n = 0;
            for (String p : paths) {
                n += rules.isExcluded(p, t.directories().contains(p)) ? 1 : 0;
            }
            bestRules = run < 3 ? bestRules : Math.min(bestRules, System.nanoTime() - start);
            assertThat(n).isPositive();
        }

        System.out.printf("filter throughput (best of 5 after warm-up; %d rules: %d command-line, %d in .strataignore"
                        + " files):%n  %d paths in the tree, the walk checks %d entries and keeps %d%n"
                        + "  DirectoryFilter.excludes alone: %.1f ms, %.0f ns/check%n"
                        + "  whole walk (enter + excludes + the test walker's own bookkeeping): %.1f ms, %.0f ns/entry%n"
                        + "  IgnoreRules.isExcluded on all %d paths (root rules only, parents rechecked): %.1f ms,"
                        + " %.0f ns/path%n",
                COMMAND_LINE.length + 1 + rules.patterns().size() + 3, COMMAND_LINE.length + 1,
                rules.patterns().size() + 3, t.paths(), checks, kept.size(),
                bestChecks / 1e6, (double) bestChecks / checks, bestWalk / 1e6, (double) bestWalk / checks,
                paths.size(), bestRules / 1e6, (double) bestRules / paths.size());
        assertThat(kept.size()).isBetween(1, t.paths() - 1);
    }

    private static void collect(DirectoryFilter f, String dir, Tree t, List<DirectoryFilter> filters,
                                List<String> names, List<Boolean> isDir) {
        for (String name : t.children().get(dir)) {
            String path = dir.isEmpty() ? name : dir + "/" + name;
            boolean d = t.directories().contains(path);
            filters.add(f);
            names.add(name);
            isDir.add(d);
            if (d && !f.excludes(name, true, 0)) {
                collect(f.enter(name, t.children().get(path)), path, t, filters, names, isDir);
            }
        }
    }

    @Test
    void walkAndIgnoreRules_agreeOnRandomTrees() {
        for (long seed = 1; seed <= 3; seed++) {
            Tree t = tree(seed, 30_000);
            t.children().get("").add(".strataignore");
            MemoryFilterFiles files = new MemoryFilterFiles().put(ROOT.resolve(".strataignore"), ROOT_IGNORE);
            Set<String> kept = walk(ExcludeFilter.builder().files(files).build(), t);
            IgnoreRules rules = IgnoreRules.parseIgnoreFile(ROOT_IGNORE, "root", false);
            for (String p : allPaths(t)) {
                boolean excluded = rules.isExcluded(p, t.directories().contains(p));
                assertThat(kept.contains(p)).as("seed %d: %s", seed, p).isEqualTo(!excluded);
            }
        }
    }
}
