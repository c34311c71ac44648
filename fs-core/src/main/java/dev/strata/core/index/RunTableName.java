package dev.strata.core.index;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Names of the tables one run of a command keeps its working set in:
 * {@code run/<purpose>/<pid>/<process start, epoch ms>/<random>}. The pid and start time say whose
 * table it is, so that a later run can tell a table of a live process from a leftover of one that
 * was killed, even after the pid is reused. Stateless.
 */
final class RunTableName {
    static final String PREFIX = "run/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunTableName() {
    }

    static String create(String purpose) {
        if (purpose.isEmpty() || purpose.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a run table's purpose is one word, got '" + purpose + "'");
        }
        ProcessHandle me = ProcessHandle.current();
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return PREFIX + purpose + "/" + me.pid() + "/" + startMillis(me).orElse(0L) + "/" + HexFormat.of().formatHex(random);
    }

    /**
     * Whether {@code name} is a run table whose process no longer runs: no process has its pid, or
     * the one that has it started at another time. Unknown start times count as running.
     */
    static boolean ownerHasEnded(String name) {
        if (!name.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = name.split("/");
        if (parts.length != 5) {
            return false;
        }
        long pid;
        long started;
        try {
            pid = Long.parseLong(parts[2]);
            started = Long.parseLong(parts[3]);
        } catch (NumberFormatException notOurs) {
            return false;
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return true;
        }
        Optional<Long> ownerStarted = startMillis(owner.get());
        return started != 0 && ownerStarted.isPresent() && ownerStarted.get() != started;
    }

    private static Optional<Long> startMillis(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli);
    }
}
