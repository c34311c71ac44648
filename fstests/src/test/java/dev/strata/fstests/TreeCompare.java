package dev.strata.fstests;

import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.Posix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares two folder trees the way a person checking a restore would: same names, types, bytes
 * (SHA-256), modes, owners, modification times to the nanosecond, xattrs, symlink targets, device
 * numbers, and the same groups of hard links. Access and change times are not compared (reading
 * and restoring change them).
 */
final class TreeCompare {
    private final Posix posix = Posix.get();
    private final boolean compareBlocks;

    private TreeCompare(boolean compareBlocks) {
        this.compareBlocks = compareBlocks;
    }

    /** Differences between {@code expected} and {@code actual}, one line each; empty when equal. */
    static List<String> differences(Path expected, Path actual) throws IOException {
        return new TreeCompare(true).compare(expected, actual);
    }

    private List<String> compare(Path expected, Path actual) throws IOException {
        List<String> diffs = new ArrayList<>();
        Map<String, Path> a = entries(expected);
        Map<String, Path> b = entries(actual);
        for (String name : new TreeSet<>(a.keySet())) {
            if (!b.containsKey(name)) {
                diffs.add(name + ": missing");
            }
        }
        for (String name : b.keySet()) {
            if (!a.containsKey(name)) {
                diffs.add(name + ": not in the source");
            }
        }
        Map<Long, List<String>> linksA = new TreeMap<>();
        Map<Long, List<String>> linksB = new HashMap<>();
        for (Map.Entry<String, Path> e : a.entrySet()) {
            Path other = b.get(e.getKey());
            if (other == null) {
                continue;
            }
            FileStatus x = posix.lstat(e.getValue());
            FileStatus y = posix.lstat(other);
            compareEntry(e.getKey(), e.getValue(), x, other, y, diffs);
            if (x.isRegularFile() && x.links() > 1) {
                linksA.computeIfAbsent(x.inode(), k -> new ArrayList<>()).add(e.getKey());
                linksB.computeIfAbsent(y.inode(), k -> new ArrayList<>()).add(e.getKey());
            }
        }
        List<List<String>> groupsA = new ArrayList<>(linksA.values());
        List<List<String>> groupsB = new ArrayList<>(linksB.values());
        groupsA.forEach(g -> g.sort(null));
        groupsB.forEach(g -> g.sort(null));
        for (List<String> g : groupsA) {
            if (!groupsB.contains(g)) {
                diffs.add("hard links " + g + " do not share one inode");
            }
        }
        return diffs;
    }

    private void compareEntry(String name, Path p, FileStatus x, Path q, FileStatus y, List<String> diffs) throws IOException {
        if (x.type() != y.type()) {
            diffs.add(name + ": type " + Integer.toOctalString(x.type()) + " vs " + Integer.toOctalString(y.type()));
            return;
        }
        if (x.mode() != y.mode()) {
            diffs.add(name + ": mode " + Integer.toOctalString(x.mode()) + " vs " + Integer.toOctalString(y.mode()));
        }
        if (x.uid() != y.uid() || x.gid() != y.gid()) {
            diffs.add(name + ": owner " + x.uid() + ":" + x.gid() + " vs " + y.uid() + ":" + y.gid());
        }
        if (!x.mtime().equals(y.mtime())) {
            diffs.add(name + ": mtime " + x.mtime() + " vs " + y.mtime());
        }
        if (x.isCharDevice() || x.isBlockDevice()) {
            if (x.rdev() != y.rdev()) {
                diffs.add(name + ": device " + x.rdev() + " vs " + y.rdev());
            }
        }
        if (x.isSymlink()) {
            if (!Files.readSymbolicLink(p).equals(Files.readSymbolicLink(q))) {
                diffs.add(name + ": link " + Files.readSymbolicLink(p) + " vs " + Files.readSymbolicLink(q));
            }
            return;
        }
        if (x.isRegularFile()) {
            if (x.size() != y.size()) {
                diffs.add(name + ": size " + x.size() + " vs " + y.size());
            } else if (!sha256(p).equals(sha256(q))) {
                diffs.add(name + ": content differs");
            }
            // Sparse files must stay sparse: no more blocks than the source (plus a little slack).
            if (compareBlocks && y.blocks() > x.blocks() + 64) {
                diffs.add(name + ": " + y.blocks() + " blocks vs " + x.blocks() + " in the source");
            }
        }
        if (!x.isFifo() && !x.isSocket()) {
            Map<String, String> xa = xattrs(p);
            Map<String, String> ya = xattrs(q);
            if (!xa.equals(ya)) {
                diffs.add(name + ": xattrs " + xa + " vs " + ya);
            }
        }
    }

    private Map<String, String> xattrs(Path p) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String n : posix.listXattrs(p)) {
            if (n.startsWith("security.")) {
                continue;
            }
            Optional<byte[]> v = posix.getXattr(p, n);
            out.put(n, v.map(b -> HexFormat.of().formatHex(b)).orElse("?"));
        }
        return out;
    }

    /** Relative path → absolute path of everything below {@code root}, the root itself as "". */
    private static Map<String, Path> entries(Path root) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(p -> out.put(root.relativize(p).toString(), p));
        }
        return out;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
