package dev.strata.image.browse;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Test helpers that walk a browsed filesystem by path. Stateless. */
final class FsTrees {
    private FsTrees() {
    }

    /** Every readable entry by relative path ("" is the root), each folder listed once. */
    static Map<String, FsNode> walk(BrowsableFs fs) throws IOException {
        Map<String, FsNode> out = new LinkedHashMap<>();
        Set<Long> seen = new HashSet<>();
        walk(fs, fs.root(), "", out, seen, 0);
        return out;
    }

    private static void walk(BrowsableFs fs, FsNode dir, String path, Map<String, FsNode> out, Set<Long> seen, int depth)
            throws IOException {
        out.put(path, dir);
        if (!seen.add(dir.id()) || depth > 64) {
            return;
        }
        for (FsChild c : fs.list(dir)) {
            if (!c.readable()) {
                continue;
            }
            String p = path.isEmpty() ? c.name() : path + "/" + c.name();
            if (c.node().type() == dev.strata.core.tree.NodeType.DIRECTORY) {
                walk(fs, c.node(), p, out, seen, depth + 1);
            } else {
                out.put(p, c.node());
            }
        }
    }

    static Optional<FsNode> find(BrowsableFs fs, String path) throws IOException {
        FsNode n = fs.root();
        if (path.isEmpty()) {
            return Optional.of(n);
        }
        for (String part : path.split("/")) {
            FsNode next = null;
            for (FsChild c : fs.list(n)) {
                if (c.name().equals(part) && c.readable()) {
                    next = c.node();
                }
            }
            if (next == null) {
                return Optional.empty();
            }
            n = next;
        }
        return Optional.of(n);
    }

    /** The whole content of a file, read in 128 KiB pieces as the mount reads it; at most {@code limit} bytes. */
    static byte[] content(BrowsableFs fs, FsNode f, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[128 << 10];
        long pos = 0;
        while (pos < limit) {
            int n = fs.read(f, pos, buf, 0, (int) Math.min(buf.length, limit - pos));
            if (n <= 0) {
                break;
            }
            out.write(buf, 0, n);
            pos += n;
        }
        return out.toByteArray();
    }

    /**
     * Checks a file's data runs against its content: each run holds the file's bytes at its offset,
     * runs are in file order and do not overlap, and whatever no run covers reads as zeros (holes).
     * A file with no runs at all keeps its bytes elsewhere (ext inline data) or is empty.
     */
    static void checkRuns(ByteSource src, BrowsableFs fs, FsNode f, String what) throws IOException {
        byte[] content = content(fs, f, f.size());
        java.util.List<DataRun> runs = fs.dataRuns(f);
        if (runs.isEmpty()) {
            org.assertj.core.api.Assertions.assertThat(f.size()).as(what + " has no runs").isLessThanOrEqualTo(60 + 4096);
            return;
        }
        boolean[] covered = new boolean[content.length];
        long previousEnd = 0;
        for (DataRun r : runs) {
            org.assertj.core.api.Assertions.assertThat(r.fileOffset()).as(what + " runs in file order").isGreaterThanOrEqualTo(previousEnd);
            org.assertj.core.api.Assertions.assertThat(r.fileOffset() + r.length()).as(what).isLessThanOrEqualTo(f.size());
            byte[] onDisk = new byte[(int) r.length()];
            src.readFully(r.position(), onDisk, 0, onDisk.length);
            org.assertj.core.api.Assertions.assertThat(onDisk).as(what + " at " + r.fileOffset())
                    .isEqualTo(java.util.Arrays.copyOfRange(content, (int) r.fileOffset(), (int) (r.fileOffset() + r.length())));
            java.util.Arrays.fill(covered, (int) r.fileOffset(), (int) (r.fileOffset() + r.length()), true);
            previousEnd = r.fileOffset() + r.length();
        }
        for (int i = 0; i < content.length; i++) {
            if (!covered[i] && content[i] != 0) {
                throw new AssertionError(what + ": byte " + i + " is data but in no run");
            }
        }
    }
}
