package dev.strata.cli.e2e;

import dev.strata.core.name.NameBytes;
import dev.strata.core.name.Printable;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.PathBytes;
import dev.strata.core.posix.Posix;
import dev.strata.core.posix.Timespec;
import dev.strata.core.id.Hex;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compares two folder trees entry by entry and lists every difference in words: type, content
 * (SHA-256), permission bits, owner, mtime and atime to the nanosecond, xattrs (ACLs included),
 * symlink targets, device numbers, hard-link groups, and that a restored file allocates no more
 * blocks than its source (so sparse files stay sparse). A tree is first {@link #scan scanned} into a
 * {@link Manifest}, without disturbing the atimes it records, so the source can be scanned before a
 * backup reads it. Stateless, thread-safe.
 */
final class TreeComparison {
    /** Restored files may allocate this many 512-byte blocks more than their source (plus 2%). */
    private static final long BLOCK_SLACK = 64;

    private TreeComparison() {
    }

    /** What one entry looked like; paths are relative to the scanned root ("" for the root). */
    record Entry(String path, String type, int perms, int uid, int gid, long size, String sha256,
                 Timespec atime, Timespec mtime, SortedMap<String, String> xattrs, String linkTarget, long inode,
                 long blocks, long rdev) {
    }

    /** A scanned tree. */
    record Manifest(Path root, SortedMap<String, Entry> entries) {
        /** The part of this tree under {@code rel} ("a/b"), as if it had been scanned from there. */
        Manifest subtree(String rel) {
            SortedMap<String, Entry> out = new TreeMap<>();
            for (Entry e : entries.values()) {
                if (e.path().equals(rel)) {
                    out.put("", withPath(e, ""));
                } else if (e.path().startsWith(rel + "/")) {
                    String p = e.path().substring(rel.length() + 1);
                    out.put(p, withPath(e, p));
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(rel + " is not in " + root);
            }
            return new Manifest(root.resolve(rel), out);
        }

        /** Only the entries {@code keep} accepts (the root always stays). */
        Manifest only(java.util.function.Predicate<String> keep) {
            SortedMap<String, Entry> out = new TreeMap<>();
            entries.forEach((p, e) -> {
                if (p.isEmpty() || keep.test(p)) {
                    out.put(p, e);
                }
            });
            return new Manifest(root, out);
        }

        Set<String> paths() {
            return entries.keySet();
        }

        /** The paths of regular files. */
        List<String> files() {
            return entries.values().stream().filter(e -> e.type().equals("file")).map(Entry::path).toList();
        }

        private static Entry withPath(Entry e, String p) {
            return new Entry(p, e.type(), e.perms(), e.uid(), e.gid(), e.size(), e.sha256(), e.atime(), e.mtime(),
                    e.xattrs(), e.linkTarget(), e.inode(), e.blocks(), e.rdev());
        }
    }

    /** Scans {@code root}: each entry's status is taken before it is read, and atimes are put back after reading. */
    static Manifest scan(Path root) throws IOException {
        SortedMap<String, Entry> out = new TreeMap<>();
        visit(Posix.get(), root, "", out);
        return new Manifest(root, out);
    }

    private static void visit(Posix posix, Path path, String rel, SortedMap<String, Entry> out) throws IOException {
        FileStatus st = posix.lstat(path);
        SortedMap<String, String> xattrs = new TreeMap<>();
        for (String name : posix.listXattrs(path)) {
            posix.getXattr(path, name).ifPresent(v -> xattrs.put(name, Hex.encode(v)));
        }
        String type = type(st);
        String sha = null;
        String target = null;
        if (st.isRegularFile()) {
            sha = sha256(path);
        } else if (st.isSymlink()) {
            target = NameBytes.decode(PathBytes.of(Files.readSymbolicLink(path)));
        }
        out.put(rel, new Entry(rel, type, st.permissions(), st.uid(), st.gid(), st.isDirectory() ? 0 : st.size(), sha,
                st.atime(), st.mtime(), xattrs, target, st.inode(), st.blocks(), st.rdev()));
        if (st.isDirectory()) {
            List<Path> children;
            try (Stream<Path> s = Files.list(path)) {
                children = s.sorted().toList();
            }
            for (Path c : children) {
                String name = PathBytes.name(c); // byte-exact: names need not be UTF-8
                visit(posix, c, rel.isEmpty() ? name : rel + "/" + name, out);
            }
        }
        if (st.isDirectory() || st.isRegularFile() || st.isSymlink()) {
            // Reading (relatime; readlink too) may have moved the atime; leave the tree as it was found.
            FileStatus after = posix.lstat(path);
            if (!after.atime().equals(st.atime()) || !after.mtime().equals(st.mtime())) {
                posix.setTimes(path, st.atime(), st.mtime(), false);
            }
        }
    }

    private static String type(FileStatus st) {
        if (st.isRegularFile()) {
            return "file";
        } else if (st.isDirectory()) {
            return "dir";
        } else if (st.isSymlink()) {
            return "symlink";
        } else if (st.isFifo()) {
            return "fifo";
        } else if (st.isSocket()) {
            return "socket";
        } else if (st.isCharDevice()) {
            return "char device";
        } else if (st.isBlockDevice()) {
            return "block device";
        }
        return "unknown " + Integer.toOctalString(st.type());
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return Hex.encode(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Differences of {@code actual} from {@code expected}, including the roots' own metadata. */
    static List<String> compare(Manifest expected, Manifest actual) {
        return compare(expected, actual, true);
    }

    /**
     * Differences of {@code actual} from {@code expected}, one human-readable line each; empty when
     * the trees are the same.
     *
     * @param rootMetadata also compare the roots' own mode, owner, times and xattrs (false when the
     *                     actual root is a restore target that does not stand for a saved folder)
     */
    static List<String> compare(Manifest expected, Manifest actual, boolean rootMetadata) {
        List<String> diffs = new ArrayList<>();
        for (String p : expected.paths()) {
            if (!actual.entries().containsKey(p)) {
                diffs.add(show(p) + ": missing");
            }
        }
        for (String p : actual.paths()) {
            if (!expected.entries().containsKey(p)) {
                diffs.add(show(p) + ": unexpected " + actual.entries().get(p).type());
            }
        }
        for (Entry e : expected.entries().values()) {
            Entry a = actual.entries().get(e.path());
            if (a == null || (e.path().isEmpty() && !rootMetadata)) {
                continue;
            }
            compareEntry(e, a, diffs);
        }
        Set<Set<String>> eg = linkGroups(expected);
        Set<Set<String>> ag = linkGroups(actual);
        if (!eg.equals(ag)) {
            diffs.add("hard links: expected groups " + eg + " but found " + ag);
        }
        return diffs;
    }

    private static void compareEntry(Entry e, Entry a, List<String> diffs) {
        String p = show(e.path());
        if (!e.type().equals(a.type())) {
            diffs.add(p + ": type " + a.type() + ", expected " + e.type());
            return;
        }
        boolean symlink = e.type().equals("symlink");
        check(diffs, p, "size", e.size(), a.size());
        check(diffs, p, "content sha256", e.sha256(), a.sha256());
        if (!symlink) {
            // Linux symlinks always have mode 0777.
            check(diffs, p, "mode", Integer.toOctalString(e.perms()), Integer.toOctalString(a.perms()));
        }
        check(diffs, p, "uid", e.uid(), a.uid());
        check(diffs, p, "gid", e.gid(), a.gid());
        check(diffs, p, "mtime", e.mtime(), a.mtime());
        // Folders too: a backup saves a folder's atime from before anything of it listed the folder.
        check(diffs, p, "atime", e.atime(), a.atime());
        check(diffs, p, "symlink target", e.linkTarget(), a.linkTarget());
        check(diffs, p, "device number", e.rdev(), a.rdev());
        if (!e.xattrs().equals(a.xattrs())) {
            diffs.add(p + ": xattrs " + a.xattrs() + ", expected " + e.xattrs());
        }
        if (e.type().equals("file")) {
            long allowed = e.blocks() + BLOCK_SLACK + e.blocks() / 50;
            if (a.blocks() > allowed) {
                diffs.add(p + ": allocates " + a.blocks() + " blocks, the source only " + e.blocks()
                        + " (a hole was filled in?)");
            }
        }
    }

    private static void check(List<String> diffs, String path, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            diffs.add(path + ": " + what + " " + actual + ", expected " + expected);
        }
    }

    /** Sets of paths that are names of one inode, for inodes with more than one name in this tree. */
    static Set<Set<String>> linkGroups(Manifest m) {
        Map<Long, Set<String>> byInode = new HashMap<>();
        for (Entry e : m.entries().values()) {
            if (!e.type().equals("dir")) {
                byInode.computeIfAbsent(e.inode(), k -> new TreeSet<>()).add(e.path());
            }
        }
        return byInode.values().stream().filter(s -> s.size() > 1).collect(Collectors.toSet());
    }

    private static String show(String path) {
        return path.isEmpty() ? "(root)" : Printable.of(path);
    }
}
