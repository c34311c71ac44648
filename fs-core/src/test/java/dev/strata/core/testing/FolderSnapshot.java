package dev.strata.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a folder tree looks like at one moment: every path under it with its kind, size and
 * modification time. Two snapshots are equal when nothing was created, removed, written or touched
 * in between, which is how tests prove that a refused operation wrote nothing. Immutable.
 */
public record FolderSnapshot(Path root, boolean exists, Map<String, String> entries) {

    public static FolderSnapshot of(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        if (!Files.exists(root)) {
            return new FolderSnapshot(root, false, entries);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                String kind = a.isDirectory() ? "dir" : a.isRegularFile() ? "file " + a.size() : "other";
                entries.put(root.relativize(p).toString(), kind + " " + a.lastModifiedTime().toInstant());
            }
        }
        return new FolderSnapshot(root, true, entries);
    }
}
