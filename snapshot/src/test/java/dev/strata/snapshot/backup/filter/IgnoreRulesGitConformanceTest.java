package dev.strata.snapshot.backup.filter;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strata's ignore rules against real git: every case of gitignore-cases.spec, with the verdicts
 * {@code git check-ignore} gave (gitignore-cases.expected), is evaluated twice: through
 * {@link IgnoreRules#isExcluded} when the case has one root file, and through a
 * {@link DirectoryFilter} walk reading the files as {@code .gitignore}s, the way a backup uses them.
 * Paths marked as deviations must get the opposite verdict.
 */
class IgnoreRulesGitConformanceTest {
    private static final Path ROOT = Path.of("/repo");

    @TestFactory
    Stream<DynamicTest> everyCase_agreesWithGitCheckIgnore() {
        return GitignoreCases.load().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    @Test
    void table_coversTheFormsTheBriefAsksFor() {
        List<GitignoreCases.Case> cases = GitignoreCases.load();
        int paths = cases.stream().mapToInt(c -> c.paths().size()).sum();
        assertThat(cases).hasSizeGreaterThan(40);
        assertThat(paths).isGreaterThan(300);
        assertThat(cases).extracting(GitignoreCases.Case::name).contains(
                "basic-glob-and-negation", "anchoring", "leading-double-star", "trailing-double-star",
                "middle-double-star", "directory-only", "character-classes", "escapes", "trailing-spaces",
                "parent-excluded-cannot-reinclude", "icase-basic", "nested-precedence");
    }

    private static void check(GitignoreCases.Case c) {
        List<String> mismatches = new ArrayList<>();
        boolean singleRootFile = c.files().keySet().equals(Set.of(".gitignore"));
        IgnoreRules rules = singleRootFile
                ? IgnoreRules.parseIgnoreFile(c.files().get(".gitignore"), ".gitignore", c.ignoreCase()) : null;
        Walk walk = c.ignoreCase() ? null : new Walk(c);
        for (GitignoreCases.PathCase p : c.paths()) {
            boolean want = p.deviation() != p.gitIgnored();
            if (rules != null) {
                boolean got = rules.isExcluded(p.path(), p.directory());
                if (got != want) {
                    mismatches.add(describe("IgnoreRules", p, got));
                }
            }
            if (walk != null) {
                boolean got = walk.excluded(p.path(), p.directory());
                if (got != want) {
                    mismatches.add(describe("DirectoryFilter", p, got));
                }
            }
        }
        assertThat(mismatches).as("case %s, files %s", c.name(), c.files()).isEmpty();
    }

    private static String describe(String via, GitignoreCases.PathCase p, boolean got) {
        return via + ": " + p.raw() + " git=" + (p.gitIgnored() ? "ignored" : "kept") + " (" + p.gitMatch() + ")"
                + (p.deviation() ? " [deviation]" : "") + " strata=" + (got ? "ignored" : "kept");
    }

    /** Walks the case's tree the way the backup walker does, with the files as .gitignore. */
    private static final class Walk {
        private final Map<String, Set<String>> children = new HashMap<>();
        private final ExcludeFilter filter;

        Walk(GitignoreCases.Case c) {
            MemoryFilterFiles files = new MemoryFilterFiles();
            c.files().forEach((path, content) -> {
                files.put(ROOT.resolve(path), content);
                register(path);
            });
            c.paths().forEach(p -> register(p.path()));
            filter = ExcludeFilter.builder().ignoreFileName(".gitignore").files(files).build();
        }

        private void register(String path) {
            String[] parts = path.split("/");
            String dir = "";
            for (String part : parts) {
                children.computeIfAbsent(dir, k -> new LinkedHashSet<>()).add(part);
                dir = dir.isEmpty() ? part : dir + "/" + part;
            }
        }

        boolean excluded(String path, boolean isDirectory) {
            String[] parts = path.split("/");
            DirectoryFilter f = filter.root(ROOT, children.get(""));
            String dir = "";
            for (int i = 0; i < parts.length; i++) {
                boolean last = i == parts.length - 1;
                if (f.excludes(parts[i], last ? isDirectory : true, 0)) {
                    return true;
                }
                assertThat(f.problems()).isEmpty();
                if (!last) {
                    dir = dir.isEmpty() ? parts[i] : dir + "/" + parts[i];
                    f = f.enter(parts[i], children.getOrDefault(dir, Set.of()));
                }
            }
            return false;
        }
    }
}
