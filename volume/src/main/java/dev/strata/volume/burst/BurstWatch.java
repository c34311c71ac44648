package dev.strata.volume.burst;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Watches one live volume for bursts of deletions and overwrites ({@link BurstDetector}) and writes one
 * line to the volume's log for each, naming how many files and since when, with the command that
 * puts the volume back as it was just before. Thread-safe.
 */
public final class BurstWatch {
    private final String volume;
    private final BurstDetector detector;
    private final Clock clock;
    private final String commandOptions;
    private final Consumer<String> log;
    private final boolean on;

    /**
     * Watches volume {@code volume} for {@code files} files deleted or overwritten within {@code window};
     * {@code commandOptions} are what a command needs to reach this volume besides its name (such as
     * {@code --repo /srv/strata}), empty when the defaults do.
     */
    public BurstWatch(String volume, int files, Duration window, Clock clock, String commandOptions,
                      Consumer<String> log) {
        this.volume = volume;
        this.detector = new BurstDetector(files, window);
        this.clock = clock;
        this.commandOptions = commandOptions.isBlank() ? "" : " " + commandOptions.trim();
        this.log = log;
        this.on = true;
    }

    private BurstWatch() {
        this.volume = "";
        this.detector = new BurstDetector(1, Duration.ofNanos(1));
        this.clock = null;
        this.commandOptions = "";
        this.log = line -> { };
        this.on = false;
    }

    /** A watch that counts nothing and never warns (and never reads the clock). */
    public static BurstWatch off() {
        return new BurstWatch();
    }

    /** The file at {@code path} (bytes, from the volume's root) was deleted: unlinked, or a folder removed. */
    public void deleted(byte[] path) {
        if (!on) {
            return;
        }
        changed(path, BurstDetector.Change.DELETED, clock.instant());
    }

    /** The file at {@code path} lost content it had: renamed over, truncated, or written over. */
    public void overwritten(byte[] path) {
        if (!on) {
            return;
        }
        overwritten(path, clock.instant());
    }

    /** The same, at {@code at} (the save time of the version that overwrote it). */
    public void overwritten(byte[] path, Instant at) {
        if (!on) {
            return;
        }
        changed(path, BurstDetector.Change.OVERWRITTEN, at);
    }

    private void changed(byte[] path, BurstDetector.Change change, Instant at) {
        // Bytes as they are, one char each: a key only, never shown.
        String key = new String(path, StandardCharsets.ISO_8859_1);
        Optional<BurstDetector.Burst> burst;
        synchronized (detector) {
            burst = detector.changed(key, change, at);
        }
        burst.ifPresent(b -> log.accept(warning(b)));
    }

    /** The warning for burst {@code b}. */
    String warning(BurstDetector.Burst b) {
        return "volume " + volume + ": " + b.files() + " files deleted or overwritten since "
                + b.began().truncatedTo(ChronoUnit.SECONDS) + " (" + b.deleted() + " deleted, " + b.overwritten()
                + " overwritten), and it may go on; if that was not meant, unmount the volume and undo it with: "
                + undoCommand(b.began());
    }

    /** The command that puts the volume back as it was just before {@code began}. */
    String undoCommand(Instant began) {
        return "strata volume rollback " + volume + " --to '" + justBefore(began) + "'" + commandOptions;
    }

    /**
     * A moment just before {@code t} that {@code strata volume rollback --to} reads (ISO-8601, UTC, to the
     * microsecond, as the system clock gives times).
     */
    static Instant justBefore(Instant t) {
        return t.minusNanos(1000).truncatedTo(ChronoUnit.MICROS);
    }
}
