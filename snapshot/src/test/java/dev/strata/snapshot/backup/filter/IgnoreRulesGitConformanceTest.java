package dev.strata.snapshot.backup.filter;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strata's ignore rules against real git: every case of gitignore-cases.spec, with the verdicts
 * {@code git check-ignore} gave (gitignore-cases.expected), is evaluated through
 * {@link IgnoreRules#isExcluded} (cases with one root file). Paths marked as deviations must get the
 * opposite verdict.
 */
class IgnoreRulesGitConformanceTest {
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
        if (!singleRootFile) {
            return; // nested ignore files need the directory walk
        }
        IgnoreRules rules = IgnoreRules.parseIgnoreFile(c.files().get(".gitignore"), ".gitignore", c.ignoreCase());
        for (GitignoreCases.PathCase p : c.paths()) {
            boolean want = p.deviation() != p.gitIgnored();
            boolean got = rules.isExcluded(p.path(), p.directory());
            if (got != want) {
                mismatches.add(describe("IgnoreRules", p, got));
            }
        }
        assertThat(mismatches).as("case %s, files %s", c.name(), c.files()).isEmpty();
    }

    private static String describe(String via, GitignoreCases.PathCase p, boolean got) {
        return via + ": " + p.raw() + " git=" + (p.gitIgnored() ? "ignored" : "kept") + " (" + p.gitMatch() + ")"
                + (p.deviation() ? " [deviation]" : "") + " strata=" + (got ? "ignored" : "kept");
    }
}
