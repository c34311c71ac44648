package dev.strata.cli.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line of each table header and key in a TOML text, so that problems found after parsing (the
 * parser hands over a tree without positions) name the line to fix. A key the scan cannot place
 * (inside an inline table, say) is reported at its table's line, else at line 1. Immutable.
 */
final class TomlLines {
    private final Map<String, Integer> lines = new HashMap<>();

    TomlLines(String text) {
        String[] all = text.split("\r?\n", -1);
        List<String> table = List.of();
        String openQuotes = null;
        for (int i = 0; i < all.length; i++) {
            String line = all[i];
            if (openQuotes != null) {
                if (line.contains(openQuotes)) {
                    openQuotes = null;
                }
                continue;
            }
            String t = line.strip();
            if (t.startsWith("[")) {
                boolean array = t.startsWith("[[");
                int end = t.indexOf(array ? "]]" : "]");
                if (end > 0) {
                    List<String> path = keyPath(t.substring(array ? 2 : 1, end));
                    if (path != null) {
                        table = path;
                        lines.putIfAbsent(join(table), i + 1);
                    }
                }
                continue;
            }
            int eq = keyEnd(t);
            if (eq > 0) {
                List<String> key = keyPath(t.substring(0, eq));
                if (key != null) {
                    List<String> full = new ArrayList<>(table);
                    full.addAll(key);
                    lines.putIfAbsent(join(full), i + 1);
                }
                String value = t.substring(eq + 1);
                for (String q : new String[]{"\"\"\"", "'''"}) {
                    int first = value.indexOf(q);
                    if (first >= 0 && value.indexOf(q, first + 3) < 0) {
                        openQuotes = q;
                    }
                }
            }
        }
    }

    /** The line of {@code path} (e.g. jobs, docs, schedule), else of its nearest enclosing table, else 1. */
    int of(List<String> path) {
        for (int n = path.size(); n > 0; n--) {
            Integer line = lines.get(join(path.subList(0, n)));
            if (line != null) {
                return line;
            }
        }
        return 1;
    }

    /** Where the key of a {@code key = value} line ends (the '='), or -1; '=' inside quotes is part of the key. */
    private static int keyEnd(String t) {
        char quote = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '=') {
                return i;
            } else if (c == '#') {
                return -1;
            }
        }
        return -1;
    }

    /** A dotted key's parts (bare, "basic" or 'literal'), or null when it is not a key. */
    private static List<String> keyPath(String key) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        String k = key.strip();
        while (i < k.length()) {
            char c = k.charAt(i);
            StringBuilder part = new StringBuilder();
            if (c == '"' || c == '\'') {
                int end = k.indexOf(c, i + 1);
                if (end < 0) {
                    return null;
                }
                part.append(k, i + 1, end);
                i = end + 1;
            } else {
                while (i < k.length() && (Character.isLetterOrDigit(k.charAt(i)) || k.charAt(i) == '-' || k.charAt(i) == '_')) {
                    part.append(k.charAt(i++));
                }
                if (part.length() == 0) {
                    return null;
                }
            }
            parts.add(part.toString());
            while (i < k.length() && Character.isWhitespace(k.charAt(i))) {
                i++;
            }
            if (i < k.length()) {
                if (k.charAt(i) != '.') {
                    return null;
                }
                i++;
                while (i < k.length() && Character.isWhitespace(k.charAt(i))) {
                    i++;
                }
            }
        }
        return parts.isEmpty() ? null : parts;
    }

    private static String join(List<String> path) {
        return String.join("\u0000", path);
    }
}
