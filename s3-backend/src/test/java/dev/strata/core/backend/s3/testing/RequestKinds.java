package dev.strata.core.backend.s3.testing;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts S3 requests by method and kind of key: the repository folder a key lies in
 * ({@code data}, {@code index}, {@code snapshots}, {@code keys}, {@code locks}, …) or {@code config},
 * a bucket-level request as {@code (bucket)}, and a ranged GET of a pack apart from a whole one. The
 * target is the request line's path and query as a client sends it in path style
 * ({@code /BUCKET/KEY?QUERY}). Thread-safe.
 */
public final class RequestKinds {
    private final Map<String, Integer> counts = new TreeMap<>();

    /** Counts one request. */
    public synchronized void add(String method, String target) {
        counts.merge(method + " " + kindOf(target), 1, Integer::sum);
    }

    public synchronized void reset() {
        counts.clear();
    }

    /** How many requests of {@code method} went to keys of {@code kind} ("GET data", "PUT index"). */
    public synchronized int count(String method, String kind) {
        return counts.getOrDefault(method + " " + kind, 0);
    }

    /** Every count, one "METHOD kind N" line each, sorted. */
    public synchronized String table() {
        StringBuilder out = new StringBuilder();
        counts.forEach((k, n) -> out.append(k).append(' ').append(n).append('\n'));
        return out.toString();
    }

    /**
     * The kind of a path-style target: the repository folder its key lies in (after any prefix), "config",
     * "(list FOLDER)" for a listing, or "(bucket)" for the bucket itself.
     */
    static String kindOf(String target) {
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String key = path.replaceFirst("^/+[^/]*/?", "");
        if (key.isEmpty()) {
            String q = query < 0 ? "" : target.substring(query + 1);
            for (String param : q.split("&")) {
                if (param.startsWith("prefix=")) {
                    return "(list " + folderOf(param.substring("prefix=".length()).replace("%2F", "/")) + ")";
                }
            }
            return "(bucket)";
        }
        return folderOf(key);
    }

    private static String folderOf(String key) {
        for (String part : key.split("/")) {
            if (FOLDERS.contains(part)) {
                return part;
            }
        }
        return key.isEmpty() ? "(root)" : "(other)";
    }

    private static final java.util.Set<String> FOLDERS =
            java.util.Set.of("config", "keys", "data", "index", "snapshots", "locks", "condemned", "leases");
}
