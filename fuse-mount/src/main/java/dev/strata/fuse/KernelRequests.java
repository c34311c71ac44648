package dev.strata.fuse;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the kernel's requests to a mount by opcode, with the time each kind took to serve (libfuse
 * and the callback together). It counts what the adapter's own statistics cannot see: lookups,
 * opendir and releasedir, and the readdir requests libfuse answers from its buffer without a
 * callback. Thread-safe: the request loops add to it concurrently.
 */
public final class KernelRequests {
    /** Opcodes of linux/fuse.h, indexed by number; null where none is defined. */
    private static final String[] NAMES = new String[64];

    static {
        String[] named = {
            "1 lookup", "2 forget", "3 getattr", "4 setattr", "5 readlink", "6 symlink", "8 mknod", "9 mkdir",
            "10 unlink", "11 rmdir", "12 rename", "13 link", "14 open", "15 read", "16 write", "17 statfs",
            "18 release", "20 fsync", "21 setxattr", "22 getxattr", "23 listxattr", "24 removexattr",
            "25 flush", "26 init", "27 opendir", "28 readdir", "29 releasedir", "30 fsyncdir", "31 getlk",
            "32 setlk", "33 setlkw", "34 access", "35 create", "36 interrupt", "37 bmap", "38 destroy",
            "39 ioctl", "40 poll", "42 batch_forget", "43 fallocate", "44 readdirplus", "45 rename2",
            "46 lseek", "47 copy_file_range",
        };
        for (String n : named) {
            int space = n.indexOf(' ');
            NAMES[Integer.parseInt(n.substring(0, space))] = n.substring(space + 1);
        }
    }

    private final AtomicLongArray counts = new AtomicLongArray(NAMES.length);
    private final AtomicLongArray nanos = new AtomicLongArray(NAMES.length);

    /** Notes one request of {@code opcode} that took {@code elapsedNanos} to serve. */
    void add(int opcode, long elapsedNanos) {
        int i = opcode > 0 && opcode < NAMES.length && NAMES[opcode] != null ? opcode : 0;
        counts.incrementAndGet(i);
        nanos.addAndGet(i, elapsedNanos);
    }

    /** How many requests of {@code opcode} came (0 collects the unknown ones). */
    public long count(int opcode) {
        return counts.get(opcode);
    }

    /** All requests so far. */
    public long total() {
        long n = 0;
        for (int i = 0; i < NAMES.length; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /**
     * One line: the total, then each kind that came, most frequent first, with its mean time to
     * serve, e.g. {@code "1,114 requests: readdir 738 (95 µs), lookup 371 (410 µs), ..."}.
     */
    @Override
    public String toString() {
        java.util.List<Integer> seen = new java.util.ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if (counts.get(i) > 0) {
                seen.add(i);
            }
        }
        seen.sort((a, b) -> Long.compare(counts.get(b), counts.get(a)));
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%,d requests", total()));
        String sep = ": ";
        for (int i : seen) {
            long n = counts.get(i);
            sb.append(sep).append(i == 0 ? "other" : NAMES[i]).append(' ').append(n)
                    .append(" (").append(nanos.get(i) / n / 1000).append(" µs)");
            sep = ", ";
        }
        return sb.toString();
    }
}
