package dev.strata.volume.burst;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tells a burst of deletions and overwrites from everyday work: a burst is {@code files} distinct files
 * deleted or overwritten within {@code window} of each other. It is reported once, when it reaches
 * that count; then it stays quiet while the changes go on, until none came for a whole window, and
 * only then can a new burst be reported. A pure function of the changes and the times given with
 * them. Confined to one thread (callers serialise).
 *
 * <p>Files, not changes, are counted: a program saving one file many times a minute (a settings
 * file, a database that closes after each write) is one file, not a burst.
 */
public final class BurstDetector {
    /** What happened to a file. */
    public enum Change {
        DELETED, OVERWRITTEN
    }

    /**
     * A burst reported: {@code files} distinct files, {@code deleted} of them last deleted and
     * {@code overwritten} last overwritten, changed since {@code began} (the time of the earliest change
     * counted, so a rollback to just before it undoes every one of them), reported at {@code at}.
     */
    public record Burst(int files, int deleted, int overwritten, Instant began, Instant at) {
    }

    /** One file changed within the window: its first change counted, its last, and what the last did. */
    private static final class Seen {
        Instant first;
        Instant last;
        Change change;

        Seen(Instant at, Change change) {
            this.first = at;
            this.last = at;
            this.change = change;
        }
    }

    private final int files;
    private final Duration window;
    /** Files changed within the window, least recently changed first. */
    private final LinkedHashMap<String, Seen> recent = new LinkedHashMap<>();
    private boolean inBurst;
    private Instant lastChange;

    public BurstDetector(int files, Duration window) {
        if (files < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a burst is at least one file within a positive window: " + files
                    + " in " + window);
        }
        this.files = files;
        this.window = window;
    }

    /** Counts {@code change} of {@code file} at {@code at}; the burst it completes, if it completes one. */
    public Optional<Burst> changed(String file, Change change, Instant at) {
        // Changes may be reported a little out of order (several threads): order by the latest time seen,
        // but keep each change's own time for the start of the burst.
        Instant now = lastChange == null || at.isAfter(lastChange) ? at : lastChange;
        if (inBurst) {
            if (!calmSince(lastChange, now)) {
                lastChange = now;
                return Optional.empty();
            }
            inBurst = false;
        }
        lastChange = now;
        expire(now);
        Seen seen = recent.remove(file);
        if (seen == null) {
            seen = new Seen(at, change);
        } else {
            if (calmSince(seen.first, now)) {
                // A file changed again and again over a long time: count it from its previous change,
                // or a rollback to the start of the burst would reach back to its first change of all.
                seen.first = seen.last;
            }
            seen.last = now;
            seen.change = change;
        }
        recent.put(file, seen);
        if (recent.size() < files) {
            return Optional.empty();
        }
        Burst b = burst(now);
        recent.clear();
        inBurst = true;
        return Optional.of(b);
    }

    private Burst burst(Instant now) {
        Instant began = now;
        int deleted = 0;
        for (Seen s : recent.values()) {
            if (s.first.isBefore(began)) {
                began = s.first;
            }
            if (s.change == Change.DELETED) {
                deleted++;
            }
        }
        return new Burst(recent.size(), deleted, recent.size() - deleted, began, now);
    }

    /** Forgets files whose last change is a whole window old. */
    private void expire(Instant now) {
        Iterator<Map.Entry<String, Seen>> it = recent.entrySet().iterator();
        while (it.hasNext() && calmSince(it.next().getValue().last, now)) {
            it.remove();
        }
    }

    private boolean calmSince(Instant since, Instant now) {
        return Duration.between(since, now).compareTo(window) >= 0;
    }
}
