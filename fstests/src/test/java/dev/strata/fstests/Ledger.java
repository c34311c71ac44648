package dev.strata.fstests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a crash test wrote to each file and what the filesystem acknowledged: every content a file
 * went through, in order, and the newest one an fsync (or an fsync then close, or an fsyncdir after a
 * rename) acknowledged. After a crash each file must hold exactly one of its contents from the
 * acknowledged one on — never less than was acknowledged, never a mix. Contents are kept as their
 * SHA-256 and length, and only the last one whole (a writer builds its next content on it): a log
 * appended to thousands of times would otherwise keep thousands of copies of itself. Each file is
 * written by one thread; the ledger itself is thread-safe.
 */
final class Ledger {
    private static final class Entry {
        final List<byte[]> digests = new ArrayList<>();
        final List<Integer> lengths = new ArrayList<>();
        byte[] last;
        int acked = -1;
    }

    private final Map<Path, Entry> files = new ConcurrentHashMap<>();

    /** {@code file} may now hold {@code content} (written, not acknowledged yet). */
    void wrote(Path file, byte[] content) {
        Entry e = files.computeIfAbsent(file, f -> new Entry());
        byte[] digest = sha256(content);
        synchronized (e) {
            e.digests.add(digest);
            e.lengths.add(content.length);
            e.last = content.clone();
        }
    }

    /** The last content written to {@code file} is acknowledged: it must survive a crash. */
    void acked(Path file) {
        Entry e = files.get(file);
        synchronized (e) {
            e.acked = e.digests.size() - 1;
        }
    }

    /** The content {@code file} was last written with. */
    byte[] last(Path file) {
        Entry e = files.get(file);
        synchronized (e) {
            return e.last.clone();
        }
    }

    /** Which files the ledger knows. */
    List<Path> files() {
        return new ArrayList<>(files.keySet());
    }

    /**
     * The problems with what the files hold now (read under {@code root} instead of where they were
     * written, after a remount at the same place it is the same); empty when every file holds one of
     * its contents from the acknowledged one on.
     */
    List<String> problems() throws IOException {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Path, Entry> f : files.entrySet()) {
            Entry e = f.getValue();
            byte[] now;
            try {
                now = Files.readAllBytes(f.getKey());
            } catch (NoSuchFileException gone) {
                if (e.acked >= 0) {
                    out.add(f.getKey() + ": gone, but content " + e.acked + " of " + e.digests.size() + " was acknowledged");
                }
                continue;
            }
            byte[] digest = sha256(now);
            int match = -1;
            for (int i = e.digests.size() - 1; i >= 0; i--) {
                if (e.lengths.get(i) == now.length && Arrays.equals(e.digests.get(i), digest)) {
                    match = i;
                    break;
                }
            }
            if (match < 0) {
                out.add(f.getKey() + ": holds " + now.length + " bytes that are none of its " + e.digests.size()
                        + " contents (sizes " + sizes(e) + ")");
            } else if (match < e.acked) {
                out.add(f.getKey() + ": holds content " + match + " of " + e.digests.size() + ", older than content "
                        + e.acked + " that was acknowledged");
            }
        }
        return out;
    }

    private static String sizes(Entry e) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < e.lengths.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(e.lengths.get(i)).append(i == e.acked ? " acknowledged" : "");
        }
        return sb.toString();
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
