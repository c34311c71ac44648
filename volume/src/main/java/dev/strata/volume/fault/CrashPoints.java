package dev.strata.volume.fault;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A test hook: halts the process at a named point of the volume's work, as a kill -9 at that moment
 * would, so that crash tests can stop a mount at exact moments rather than only at random ones.
 *
 * <p>The environment variable {@code STRATA_CRASH_AT=<point>} (or {@code <point>#<n>}: the n-th time
 * it is reached) is read once, when this class is first used. When the point is reached the process
 * prints one line to standard error and halts with exit code {@value #EXIT}: no shutdown hooks, no
 * unmount, no flush — nothing more of it runs. Without the variable, reaching a point is a comparison
 * with null. The points are the constants below; docs/volume.md lists them. Thread-safe.
 */
public final class CrashPoints {
    /** The exit code of a halt at a crash point (that of a process killed by SIGKILL). */
    public static final int EXIT = 137;

    /** A write's bytes are in the file's overlay, but not yet in its written ranges or size. */
    public static final String WRITE = "write";
    /** An fsync made the file's changes durable, and has not answered yet. */
    public static final String FSYNC = "fsync";
    /** A version's chunks are stored (not yet in a durable pack) and it is not yet recorded. */
    public static final String SEAL_STORED = "seal-stored";
    /** A version is recorded in the state (not yet committed); its chunks are not durable. */
    public static final String SEAL_RECORDED = "seal-recorded";
    /** The packs of sealed versions are durable; their seals are not yet forgotten. */
    public static final String FLUSH_STORED = "flush-stored";
    /** Seals are forgotten and committed; their overlays are not yet deleted. */
    public static final String FLUSH_DONE = "flush-done";
    /** A checkpoint's trees are stored; its snapshot record is not yet saved. */
    public static final String CHECKPOINT_TREES = "checkpoint-trees";
    /** A checkpoint was written for a new condemnation; the volume's lease does not say it knows it yet. */
    public static final String CONDEMNATION_CHECKPOINTED = "condemnation-checkpointed";

    private static final String POINT;
    private static final long NTH;
    private static final AtomicLong REACHED = new AtomicLong();

    static {
        String spec = System.getenv("STRATA_CRASH_AT");
        String point = null;
        long nth = 1;
        if (spec != null && !spec.isBlank()) {
            int hash = spec.indexOf('#');
            point = hash < 0 ? spec.trim() : spec.substring(0, hash).trim();
            if (hash >= 0) {
                nth = Long.parseLong(spec.substring(hash + 1).trim());
            }
        }
        POINT = point;
        NTH = nth;
    }

    private CrashPoints() {
    }

    /** Marks that the work reached {@code point}; halts the process if the environment asked for it. */
    public static void reached(String point) {
        if (POINT != null && POINT.equals(point) && REACHED.incrementAndGet() == NTH) {
            String which = point + (NTH > 1 ? " #" + NTH : "");
            System.err.println("strata: crash point " + which + " reached; halting (STRATA_CRASH_AT)");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT);
        }
    }
}
