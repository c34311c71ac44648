package dev.strata.snapshot.forget;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link ForgetPlan} is shown: text for people, a JSON tree for {@code --json}. Stateless,
 * thread-safe.
 *
 * <pre>
 * backup snapshots of host laptop, paths [/home/ana]: keep 2, remove 1
 * keep    1a2b3c4d  2026-11-26 10:20:30  last-1, daily-1
 * keep    5e6f7a8b  2026-11-25 22:00:00  daily-2
 * remove  9c0d1e2f  2026-11-25 10:20:30
 * </pre>
 */
public final class ForgetPlanFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ForgetPlanFormat() {
    }

    /** The plan as lines: per group a header, then one line per snapshot; a blank line between groups. */
    public static String text(ForgetPlan plan) {
        StringBuilder out = new StringBuilder();
        for (ForgetGroup g : plan.groups()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(header(g)).append('\n');
            for (Decision d : g.decisions()) {
                out.append(line(d, plan)).append('\n');
            }
        }
        return out.toString();
    }

    /** {@code backup snapshots of host laptop, paths [/home/ana]: keep 2, remove 1}. */
    public static String header(ForgetGroup g) {
        GroupKey k = g.key();
        List<String> parts = new ArrayList<>();
        if (k.host() != null) {
            parts.add("host " + k.host());
        }
        if (k.paths() != null) {
            parts.add("paths " + k.paths());
        }
        if (k.tags() != null) {
            parts.add(k.tags().isEmpty() ? "no tags" : "tags " + k.tags());
        }
        String of = parts.isEmpty() ? "" : " of " + String.join(", ", parts);
        return k.kind().jsonName() + " snapshots" + of + ": keep " + g.kept().size() + ", remove " + g.removed().size();
    }

    /** {@code keep    1a2b3c4d  2026-11-26 10:20:30  last-1, daily-1} or {@code remove  9c0d1e2f  ...}. */
    public static String line(Decision d, ForgetPlan plan) {
        String time = TIME.format(d.time().atZone(plan.zone()));
        String line = String.format("%-6s  %s  %s", d.action(), d.shortId(), time);
        return d.keep() ? line + "  " + String.join(", ", d.reasons()) : line;
    }

    /** In words, as restic prints it: {@code keep 3 latest, 7 daily snapshots and all snapshots with tag x}. */
    public static String describe(RetentionPolicy p) {
        if (p.isEmpty()) {
            return "keep nothing: remove every snapshot";
        }
        List<String> counts = new ArrayList<>();
        for (Bucket b : Bucket.values()) {
            int n = p.count(b);
            String what = b == Bucket.LAST ? "latest" : b.label();
            if (n == RetentionPolicy.UNLIMITED) {
                counts.add("all " + what);
            } else if (n > 0) {
                counts.add(n + " " + what);
            }
        }
        List<String> clauses = new ArrayList<>();
        if (!counts.isEmpty()) {
            clauses.add(String.join(", ", counts) + " snapshots");
        }
        if (!p.keepTags().isEmpty()) {
            clauses.add("all snapshots with tag " + String.join(" or ", p.keepTags()));
        }
        if (p.keepWithin() != null) {
            clauses.add("all snapshots within " + DurationText.format(p.keepWithin()) + " of the newest");
        }
        return "keep " + String.join(" and ", clauses);
    }

    /**
     * The plan as JSON: {@code {"policy": ..., "groupBy": ["host", "paths"], "now": ..., "zone": ...,
     * "groups": [{"kind", "host", "paths", "tags" (when grouped by), "keep": 2, "remove": 1,
     * "snapshots": [{"id", "shortId", "time", "action", "reasons"}]}]}}.
     */
    public static ObjectNode json(ForgetPlan plan) {
        ObjectNode root = JSON.objectNode();
        root.put("policy", describe(plan.policy()));
        ArrayNode groupBy = root.putArray("groupBy");
        for (String field : plan.groupBy().toString().split(",")) {
            if (!field.isEmpty()) {
                groupBy.add(field);
            }
        }
        root.put("now", plan.now().toString());
        root.put("zone", plan.zone().getId());
        ArrayNode groups = root.putArray("groups");
        for (ForgetGroup g : plan.groups()) {
            groups.add(json(g));
        }
        return root;
    }

    private static ObjectNode json(ForgetGroup g) {
        ObjectNode o = JSON.objectNode();
        GroupKey k = g.key();
        o.put("kind", k.kind().jsonName());
        if (k.host() != null) {
            o.put("host", k.host());
        }
        if (k.paths() != null) {
            k.paths().forEach(o.putArray("paths")::add);
        }
        if (k.tags() != null) {
            k.tags().forEach(o.putArray("tags")::add);
        }
        o.put("keep", g.kept().size());
        o.put("remove", g.removed().size());
        ArrayNode snapshots = o.putArray("snapshots");
        for (Decision d : g.decisions()) {
            ObjectNode s = snapshots.addObject();
            s.put("id", d.id());
            s.put("shortId", d.shortId());
            s.put("time", d.time().toString());
            s.put("action", d.action());
            d.reasons().forEach(s.putArray("reasons")::add);
        }
        return o;
    }
}
