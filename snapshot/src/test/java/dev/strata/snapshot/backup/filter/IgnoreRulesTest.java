package dev.strata.snapshot.backup.filter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IgnoreRulesTest {

    @Test
    void parseIgnoreFile_recordsSourceAndLineNumbers() {
        IgnoreRules rules = IgnoreRules.parseIgnoreFile("# header\n\n*.log\r\nbuild/\n", "/p/.strataignore", false);
        assertThat(rules.patterns()).extracting(IgnorePattern::lineNumber).containsExactly(3, 4);
        assertThat(rules.lastMatch("x/y.log", false)).get().hasToString("/p/.strataignore:3: *.log");
        assertThat(rules.lastMatch("build", true)).get().extracting(IgnorePattern::text).isEqualTo("build/");
    }

    @Test
    void parseIgnoreFile_stripsByteOrderMarkAndKeepsLastLineWithoutNewline() {
        IgnoreRules rules = IgnoreRules.parseIgnoreFile("\uFEFFfirst\nlast", "f", false);
        assertThat(rules.patterns()).extracting(IgnorePattern::text).containsExactly("first", "last");
    }

    @Test
    void lastMatch_laterLineWins() {
        IgnoreRules rules = IgnoreRules.parseIgnoreFile("*.log\n!keep.log\n", "f", false);
        assertThat(rules.lastMatch("keep.log", false)).get().extracting(IgnorePattern::negated).isEqualTo(true);
        assertThat(rules.isExcluded("keep.log", false)).isFalse();
        assertThat(rules.isExcluded("other.log", false)).isTrue();
        assertThat(rules.lastMatch("other.txt", false)).isEmpty();
    }

    @Test
    void isExcluded_parentDirectoryExclusionCannotBeUndone() {
        IgnoreRules rules = IgnoreRules.parseIgnoreFile("build/\n!build/keep\n", "f", false);
        assertThat(rules.lastMatch("build/keep", false)).get().extracting(IgnorePattern::negated).isEqualTo(true);
        assertThat(rules.isExcluded("build/keep", false)).isTrue();
    }

    @Test
    void parseExcludeFile_usesCommandLineAnchoring() {
        IgnoreRules rules = IgnoreRules.parseExcludeFile("/home/ana/tmp\nana/cache\n", "ex.txt", false);
        assertThat(rules.isExcluded("home/ana/tmp", true)).isTrue();
        assertThat(rules.isExcluded("srv/home/ana/tmp", true)).isFalse();
        assertThat(rules.isExcluded("home/ana/cache", true)).isTrue();
        assertThat(rules.isExcluded("srv/ana/cache", true)).isTrue();
    }

    @Test
    void ignoreCase_appliesPerPattern() {
        IgnoreRules rules = IgnoreRules.of(java.util.List.of(
                IgnorePattern.commandLine("*.iso", true), IgnorePattern.commandLine("*.Tmp", false)));
        assertThat(rules.isExcluded("a/B.ISO", false)).isTrue();
        assertThat(rules.isExcluded("a/b.Tmp", false)).isTrue();
        assertThat(rules.isExcluded("a/b.TMP", false)).isFalse();
    }

    @Test
    void then_givesLaterRulesPrecedence() {
        IgnoreRules first = IgnoreRules.parseIgnoreFile("*.log\n", "a", false);
        IgnoreRules later = IgnoreRules.parseIgnoreFile("!x.log\n", "b", false);
        assertThat(first.then(later).isExcluded("x.log", false)).isFalse();
        assertThat(later.then(first).isExcluded("x.log", false)).isTrue();
        assertThat(first.then(IgnoreRules.EMPTY)).isSameAs(first);
        assertThat(IgnoreRules.EMPTY.isEmpty()).isTrue();
    }
}
