package dev.strata.snapshot.backup.filter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cases of gitignore-cases.spec with git's verdicts from gitignore-cases.expected (written by
 * src/test/tools/generate-gitignore-cases.py). Parses both files the way the generator does.
 */
final class GitignoreCases {
    private static final String DEVIATION = " ~~ ";
    private static final String[][] TOKENS = {{"{SP}", " "}, {"{TAB}", "\t"}, {"{CR}", "\r"}, {"{BOM}", "\uFEFF"}};

    /** One path to check: as written in the spec, unescaped, and git's verdict. */
    record PathCase(String raw, String path, boolean directory, boolean deviation, boolean gitIgnored, String gitMatch) {}

    /** One case: its ignore files (relative path → content) and paths. */
    record Case(String name, boolean ignoreCase, Map<String, String> files, List<PathCase> paths) {
        @Override
        public String toString() {
            return name;
        }
    }

    private GitignoreCases() {
    }

    static List<Case> load() {
        Map<String, String[]> expected = new LinkedHashMap<>();
        for (String line : resource("gitignore-cases.expected").split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            expected.put(f[0] + "\t" + f[1], f);
        }
        List<Case> cases = new ArrayList<>();
        String name = null;
        boolean icase = false;
        Map<String, List<String>> files = null;
        List<String> section = null;
        List<String> paths = null;
        List<String> lines = new ArrayList<>(List.of(resource("gitignore-cases.spec").split("\n", -1)));
        lines.add("@@ case end-of-spec");
        for (String line : lines) {
            if (line.startsWith("@@ case ")) {
                if (name != null) {
                    cases.add(build(name, icase, files, paths, expected));
                }
                String[] words = line.substring("@@ case ".length()).split(" ");
                name = words[0];
                icase = words.length > 1 && words[1].equals("icase");
                files = new LinkedHashMap<>();
                paths = new ArrayList<>();
                section = null;
            } else if (line.startsWith("@@ file ")) {
                section = new ArrayList<>();
                files.put(line.substring("@@ file ".length()), section);
            } else if (line.equals("@@ paths")) {
                section = paths;
            } else if (name != null && section != null) {
                if (section != paths) {
                    section.add(line);
                } else if (!line.isBlank()) {
                    paths.add(line);
                }
            }
        }
        if (!expected.isEmpty()) {
            throw new IllegalStateException("gitignore-cases.expected has paths the spec lacks (regenerate it): "
                    + expected.keySet());
        }
        return cases;
    }

    private static Case build(String name, boolean icase, Map<String, List<String>> files, List<String> paths,
                              Map<String, String[]> expected) {
        Map<String, String> contents = new LinkedHashMap<>();
        files.forEach((path, lines) -> {
            List<String> l = new ArrayList<>(lines);
            while (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
                l.remove(l.size() - 1);
            }
            contents.put(path, unescape(String.join("\n", l) + "\n"));
        });
        List<PathCase> out = new ArrayList<>();
        for (String line : paths) {
            boolean deviation = line.contains(DEVIATION);
            String raw = deviation ? line.substring(0, line.indexOf(DEVIATION)) : line;
            String[] f = expected.remove(name + "\t" + raw);
            if (f == null) {
                throw new IllegalStateException("no git verdict for " + name + " " + raw
                        + ": run src/test/tools/generate-gitignore-cases.py");
            }
            boolean dir = raw.endsWith("/");
            String path = unescape(dir ? raw.substring(0, raw.length() - 1) : raw);
            out.add(new PathCase(raw, path, dir, deviation, f[2].equals("1"), unescape(f[3])));
        }
        return new Case(name, icase, contents, out);
    }

    static String unescape(String s) {
        for (String[] t : TOKENS) {
            s = s.replace(t[0], t[1]);
        }
        return s;
    }

    private static String resource(String name) {
        try (InputStream in = GitignoreCases.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
