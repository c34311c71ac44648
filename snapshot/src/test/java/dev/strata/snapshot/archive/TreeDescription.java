package dev.strata.snapshot.archive;

import dev.strata.core.posix.FileMode;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.Posix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every entry of a folder as one line of what an archive must keep: type, permissions, owner by
 * number, size, content digest, symlink target, modification time to the nanosecond, user xattrs,
 * and which names share an inode (by the first name of the group). Two folders that hold the same
 * tree have equal descriptions.
 */
final class TreeDescription {
    private TreeDescription() {
    }

    static Map<String, String> of(Path root) throws IOException {
        Posix posix = Posix.get();
        Map<String, String> out = new TreeMap<>();
        Map<String, String> firstByInode = new TreeMap<>();
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = new ArrayList<>(walk.sorted().toList());
        }
        for (Path p : all) {
            String rel = root.relativize(p).toString();
            FileStatus st = posix.lstat(p);
            StringBuilder sb = new StringBuilder();
            sb.append(Integer.toOctalString(st.type())).append(' ').append(Integer.toOctalString(st.permissions()))
                    .append(' ').append(st.uid()).append(':').append(st.gid());
            if (st.isRegularFile()) {
                sb.append(" size=").append(st.size()).append(" sha=").append(digest(p));
                if (st.links() > 1) {
                    String key = st.device() + ":" + st.inode();
                    firstByInode.putIfAbsent(key, rel);
                    sb.append(" linked-with=").append(firstByInode.get(key));
                }
            }
            if (st.type() == FileMode.S_IFLNK) {
                sb.append(" -> ").append(Files.readSymbolicLink(p));
            }
            if (st.type() != FileMode.S_IFLNK) {
                sb.append(" mtime=").append(st.mtime().seconds()).append('.').append(st.mtime().nanos());
                for (String x : posix.listXattrs(p).stream().sorted().toList()) {
                    if (x.startsWith("user.")) {
                        sb.append(' ').append(x).append('=').append(HexFormat.of().formatHex(posix.getXattr(p, x).orElseThrow()));
                    }
                }
            }
            out.put(rel.isEmpty() ? "." : rel, sb.toString());
        }
        return out;
    }

    private static String digest(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
