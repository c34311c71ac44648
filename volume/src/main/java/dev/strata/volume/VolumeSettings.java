package dev.strata.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.volume.history.VersionRetention;

import java.time.Duration;

/**
 * How a volume keeps its history: how often a changed volume is checkpointed into the repository,
 * which versions are kept, how often a file held open for writing gets a version at its fsync, and
 * what counts as a burst of deletions or overwrites worth a warning ({@code burstChanges} distinct
 * files within {@code burstWindow}). Immutable.
 */
public record VolumeSettings(Duration checkpointEvery, VersionRetention retention, int burstChanges,
                             Duration burstWindow, Duration syncVersionEvery) {
    /**
     * The defaults. A burst is 500 files in 5 minutes: ransomware works through every file it reaches,
     * hundreds a minute, while switching a git branch or saving a project rewrites tens of files, rarely
     * hundreds (docs/volume.md says more).
     */
    public static final VolumeSettings DEFAULT = new VolumeSettings(Duration.ofMinutes(5), VersionRetention.DEFAULT,
            500, Duration.ofMinutes(5), Duration.ofMinutes(5));
    private static final ObjectMapper JSON = new ObjectMapper();

    public VolumeSettings {
        if (checkpointEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("checkpoint interval below one second: " + checkpointEvery);
        }
        if (burstChanges < 1 || burstWindow.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a burst is at least 1 file within at least 1 second, not "
                    + burstChanges + " files within " + burstWindow.toMillis() / 1000.0 + " s");
        }
        if (syncVersionEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("interval of versions at fsync below one second: " + syncVersionEvery);
        }
    }

    public VolumeSettings withCheckpointEvery(Duration d) {
        return new VolumeSettings(d, retention, burstChanges, burstWindow, syncVersionEvery);
    }

    public VolumeSettings withRetention(VersionRetention r) {
        return new VolumeSettings(checkpointEvery, r, burstChanges, burstWindow, syncVersionEvery);
    }

    public VolumeSettings withBurst(int files, Duration window) {
        return new VolumeSettings(checkpointEvery, retention, files, window, syncVersionEvery);
    }

    public VolumeSettings withSyncVersionEvery(Duration d) {
        return new VolumeSettings(checkpointEvery, retention, burstChanges, burstWindow, d);
    }

    ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("checkpointSeconds", checkpointEvery.toSeconds());
        n.put("keepEverySeconds", retention.everyFor().toSeconds());
        n.put("keepHourlySeconds", retention.hourlyFor().toSeconds());
        n.put("keepDailySeconds", retention.dailyFor().toSeconds());
        n.put("burstChanges", burstChanges);
        n.put("burstSeconds", burstWindow.toSeconds());
        n.put("syncVersionSeconds", syncVersionEvery.toSeconds());
        return n;
    }

    /** Settings from JSON; missing fields take their defaults (records written by older versions). */
    static VolumeSettings fromJson(JsonNode n) {
        VolumeSettings d = DEFAULT;
        return new VolumeSettings(seconds(n, "checkpointSeconds", d.checkpointEvery),
                new VersionRetention(seconds(n, "keepEverySeconds", d.retention.everyFor()),
                        seconds(n, "keepHourlySeconds", d.retention.hourlyFor()),
                        seconds(n, "keepDailySeconds", d.retention.dailyFor())),
                n.path("burstChanges").asInt(d.burstChanges), seconds(n, "burstSeconds", d.burstWindow),
                seconds(n, "syncVersionSeconds", d.syncVersionEvery));
    }

    private static Duration seconds(JsonNode n, String field, Duration fallback) {
        JsonNode v = n.path(field);
        return v.canConvertToLong() ? Duration.ofSeconds(v.asLong()) : fallback;
    }
}
