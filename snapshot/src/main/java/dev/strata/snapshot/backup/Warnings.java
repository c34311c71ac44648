package dev.strata.snapshot.backup;

import dev.strata.core.posix.PathBytes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Files a job could not handle fully, each with the reason; collected from many threads. Thread-safe. */
public final class Warnings {
    /** One problem with one path. */
    public record Warning(Path path, String message) {
        @Override
        public String toString() {
            return PathBytes.printable(path) + ": " + message;
        }
    }

    private final List<Warning> list = new ArrayList<>();
    private final java.util.function.Consumer<Warning> listener;

    public Warnings(java.util.function.Consumer<Warning> listener) {
        this.listener = listener;
    }

    public void add(Path path, String message) {
        Warning w = new Warning(path, message);
        synchronized (list) {
            list.add(w);
        }
        listener.accept(w);
    }

    public List<Warning> all() {
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    public int count() {
        synchronized (list) {
            return list.size();
        }
    }
}
