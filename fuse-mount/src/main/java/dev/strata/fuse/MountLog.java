package dev.strata.fuse;

import dev.strata.core.name.Printable;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a mount reports problems (a damaged pack, an unexpected error). Each distinct message is
 * logged once, so a file read a thousand times does not fill the log. Thread-safe.
 */
public final class MountLog {
    private static final int MAX_REMEMBERED = 10_000;

    private final PrintStream out;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    public MountLog(PrintStream out) {
        this.out = out;
    }

    void once(String path, Throwable t) {
        String message = String.valueOf(t.getMessage() == null ? t.getClass().getName() : t.getMessage());
        if (seen.size() > MAX_REMEMBERED) {
            seen.clear();
        }
        if (seen.add(message)) {
            out.println(Instant.now() + " strata mount: " + Printable.of(String.valueOf(path)) + ": " + Printable.of(message));
            out.flush();
        }
    }

    public void info(String message) {
        out.println(Instant.now() + " strata mount: " + message);
        out.flush();
    }
}
