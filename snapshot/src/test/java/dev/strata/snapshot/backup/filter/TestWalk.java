package dev.strata.snapshot.backup.filter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A minimal backup walker over a real directory, using the filter API the way the real walker is
 * meant to; records what it keeps ("dir/" for directories) in walk order. Confined to one thread.
 */
final class TestWalk {
    final List<String> kept = new ArrayList<>();
    final List<FilterProblem> problems = new ArrayList<>();

    static TestWalk run(ExcludeFilter filter, Path root) throws IOException {
        TestWalk w = new TestWalk();
        DirectoryFilter f = filter.root(root, names(root));
        w.problems.addAll(f.problems());
        w.walk(f, root, "");
        return w;
    }

    private void walk(DirectoryFilter filter, Path dir, String relative) throws IOException {
        for (String name : names(dir)) {
            Path path = dir.resolve(name);
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (filter.excludes(name, a.isDirectory(), a.size())) {
                continue;
            }
            if (a.isDirectory()) {
                kept.add(relative + name + "/");
                DirectoryFilter child = filter.enter(name, names(path));
                problems.addAll(child.problems());
                walk(child, path, relative + name + "/");
            } else {
                kept.add(relative + name);
            }
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Creates files ("a/b.txt") and directories ("a/c/") under root; file content is "x". */
    static void tree(Path root, String... paths) throws IOException {
        for (String p : paths) {
            if (p.endsWith("/")) {
                Files.createDirectories(root.resolve(p));
            } else {
                write(root.resolve(p), "x");
            }
        }
    }

    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    }
}
