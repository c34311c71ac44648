package dev.strata.snapshot.backup;

import dev.strata.core.posix.PathBytes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Files a job could not handle fully, each with the reason; collected from many threads. Every warning
 * goes to the listener as it happens and is counted, but only the first {@link #LISTED} are kept, so
 * that a tree of millions of unreadable files cannot fill the heap. Thread-safe.
 */
public final class Warnings {
    /** How many warnings are kept for the result; the rest are counted only. */
    public static final int LISTED = 1000;

    /** One problem with one path. */
    public record Warning(Path path, String message) {
        @Override
        public String toString() {
            return PathBytes.printable(path) + ": " + message;
        }
    }

    private final List<Warning> listed = new ArrayList<>();
    private final Consumer<Warning> listener;
    private long count;

    public Warnings(Consumer<Warning> listener) {
        this.listener = listener;
    }

    public void add(Path path, String message) {
        Warning w = new Warning(path, message);
        synchronized (listed) {
            if (listed.size() < LISTED) {
                listed.add(w);
            }
            count++;
        }
        listener.accept(w);
    }

    /** The first {@link #LISTED} warnings, in the order they came. */
    public List<Warning> listed() {
        synchronized (listed) {
            return List.copyOf(listed);
        }
    }

    /** Every warning, listed or not. */
    public long count() {
        synchronized (listed) {
            return count;
        }
    }
}
