package dev.strata.snapshot.forget;

import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A retention test as a table: one row per snapshot, written in the order the plan lists them (groups
 * sorted, newest first), with the expected outcome after the bar:
 *
 * <pre>
 * # backup host=laptop paths=/home          (group headers: only checked when the table has them)
 * s2  2026-11-05 18:00            | last-1, daily-1
 * s1  2026-11-05 09:00Z  tags=x   | remove
 * </pre>
 *
 * Times without an offset are wall-clock times in the table's zone. Optional fields: {@code host=},
 * {@code paths=/a,/b}, {@code tags=x,y}, {@code kind=image}; defaults laptop, /home, none, backup.
 * Confined to one thread.
 */
final class RetentionTable {
    private final String title;
    private final RetentionPolicy policy;
    private final String rows;
    private GroupBy groupBy = GroupBy.DEFAULT;
    private ZoneId zone = ZoneId.of("UTC");
    private Instant now = Instant.parse("2100-01-01T00:00:00Z");

    private RetentionTable(String title, RetentionPolicy policy, String rows) {
        this.title = title;
        this.policy = policy;
        this.rows = rows;
    }

    static RetentionTable table(String title, RetentionPolicy.Builder policy, String rows) {
        return new RetentionTable(title, policy.build(), rows);
    }

    static RetentionTable table(String title, RetentionPolicy policy, String rows) {
        return new RetentionTable(title, policy, rows);
    }

    static RetentionPolicy.Builder keep() {
        return RetentionPolicy.builder();
    }

    RetentionTable groupBy(String fields) {
        groupBy = GroupBy.parse(fields);
        return this;
    }

    RetentionTable zone(String id) {
        zone = ZoneId.of(id);
        return this;
    }

    RetentionTable now(String isoInstant) {
        now = Instant.parse(isoInstant);
        return this;
    }

    /** The table's rows as the canonical text the plan is compared with. */
    String expected() {
        List<String> out = new ArrayList<>();
        for (String line : lines()) {
            if (line.startsWith("#")) {
                out.add(String.join(" ", line.split("\\s+")));
            } else {
                String[] sides = line.split("\\|", 2);
                String name = sides[0].strip().split("\\s+")[0];
                out.add(name + " | " + String.join(", ", sides[1].strip().split("\\s*,\\s*")));
            }
        }
        return String.join("\n", out);
    }

    /** The plan computed from the table's snapshots, in the same text form as {@link #expected()}. */
    String actual() {
        List<Snapshot> input = new ArrayList<>();
        for (String line : lines()) {
            if (!line.startsWith("#")) {
                input.add(parse(line.split("\\|", 2)[0].strip().split("\\s+")));
            }
        }
        boolean headers = lines().stream().anyMatch(l -> l.startsWith("#"));
        List<String> out = new ArrayList<>();
        for (ForgetGroup g : Retention.apply(input, policy, groupBy, now, zone).groups()) {
            if (headers) {
                out.add(header(g.key()));
            }
            for (Decision d : g.decisions()) {
                out.add(Snaps.nameOf(d.snapshot()) + " | " + (d.keep() ? String.join(", ", d.reasons()) : "remove"));
            }
        }
        return String.join("\n", out);
    }

    @Override
    public String toString() {
        return title;
    }

    private List<String> lines() {
        return rows.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private Snapshot parse(String[] t) {
        String time = t[1] + "T" + t[2];
        Instant at = hasOffset(t[2]) ? OffsetDateTime.parse(time).toInstant()
                : LocalDateTime.parse(time).atZone(zone).toInstant();
        SnapshotKind kind = SnapshotKind.BACKUP;
        String host = "laptop";
        List<String> paths = List.of("/home");
        List<String> tags = List.of();
        for (String field : Arrays.copyOfRange(t, 3, t.length)) {
            String[] kv = field.split("=", 2);
            switch (kv[0]) {
                case "kind" -> kind = SnapshotKind.fromJson(kv[1]);
                case "host" -> host = kv[1];
                case "paths" -> paths = List.of(kv[1].split(","));
                case "tags" -> tags = List.of(kv[1].split(","));
                default -> throw new IllegalArgumentException("unknown field " + field + " in " + title);
            }
        }
        return Snaps.snapshot(t[0], at, kind, host, paths, tags);
    }

    private static boolean hasOffset(String time) {
        return time.endsWith("Z") || time.indexOf('+') > 0 || time.indexOf('-') > 0;
    }

    private static String header(GroupKey k) {
        StringBuilder s = new StringBuilder("# ").append(k.kind().jsonName());
        if (k.host() != null) {
            s.append(" host=").append(k.host());
        }
        if (k.paths() != null) {
            s.append(" paths=").append(String.join(",", k.paths()));
        }
        if (k.tags() != null) {
            s.append(" tags=").append(String.join(",", k.tags()));
        }
        return s.toString();
    }
}
