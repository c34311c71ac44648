package dev.strata.snapshot.backup.filter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IgnorePatternTest {

    /** Command-line patterns: absolute ones name one path, relative ones match at any depth. */
    @ParameterizedTest(name = "--exclude {0} on {1} (dir={2}) -> {3}")
    @CsvSource(delimiter = '|', value = {
        "/home/ana/tmp   | /home/ana/tmp          | true  | true",
        "/home/ana/tmp   | /home/ana/tmp          | false | true",
        "/home/ana/tmp   | /home/bob/home/ana/tmp | true  | false",
        "/home/ana/tmp   | /home/ana/tmp2         | true  | false",
        "/home/*/tmp     | /home/bob/tmp          | true  | true",
        "/home/**/*.iso  | /home/ana/a/b/x.iso    | false | true",
        "*.tmp           | /a.tmp                 | false | true",
        "*.tmp           | /home/ana/deep/x.tmp   | false | true",
        "cache/          | /home/ana/cache        | true  | true",
        "cache/          | /home/ana/cache        | false | false",
        "cache/          | /var/lib/x/cache       | true  | true",
        "ana/tmp         | /home/ana/tmp          | true  | true",
        "ana/tmp         | /ana/tmp               | true  | true",
        "ana/tmp         | /home/xana/tmp         | true  | false",
        "ana/tmp         | /home/ana/tmp/x        | false | false",
        ".cache/*/blobs  | /home/ana/.cache/x/blobs | true | true",
        "**/node_modules | /a/b/node_modules      | true  | true",
    })
    void commandLine_anchoring(String pattern, String path, boolean dir, boolean expected) {
        IgnorePattern p = IgnorePattern.commandLine(pattern, false);
        assertThat(matches(p, path, dir)).isEqualTo(expected);
    }

    @Test
    void commandLine_isTakenVerbatim() {
        IgnorePattern hash = IgnorePattern.commandLine("#notes", false);
        assertThat(matches(hash, "/x/#notes", false)).isTrue();
        IgnorePattern spaced = IgnorePattern.commandLine("name ", false);
        assertThat(matches(spaced, "/x/name ", false)).isTrue();
        assertThat(matches(spaced, "/x/name", false)).isFalse();
    }

    @Test
    void commandLine_negationAndFlags() {
        IgnorePattern p = IgnorePattern.commandLine("!keep/", true);
        assertThat(p.negated()).isTrue();
        assertThat(p.directoryOnly()).isTrue();
        assertThat(p.source()).isEqualTo("--iexclude");
        assertThat(p.lineNumber()).isZero();
        assertThat(p).hasToString("--iexclude !keep/");
        assertThat(matches(p, "/a/KEEP", true)).isTrue();
    }

    @Test
    void commandLine_empty_isRejected() {
        assertThatThrownBy(() -> IgnorePattern.commandLine("", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("empty exclude pattern");
    }

    @Test
    void parseLine_skipsCommentsBlanksAndLoneBang() {
        assertThat(IgnorePattern.parseLine("# c", false, false, "f", 1)).isEmpty();
        assertThat(IgnorePattern.parseLine("", false, false, "f", 1)).isEmpty();
        assertThat(IgnorePattern.parseLine("   ", false, false, "f", 1)).isEmpty();
        assertThat(IgnorePattern.parseLine("!", false, false, "f", 1)).isEmpty();
        assertThat(IgnorePattern.parseLine("\\#x", false, false, "f", 7)).get()
                .hasToString("f:7: \\#x");
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"a  \"      | \"a\"",
        "\"a\\ \"     | \"a\\ \"",
        "\"a\\  \"    | \"a\\ \"",
        "\"a\\\\ \"   | \"a\\\\\"",
        "\"a\t\"      | \"a\t\"",
        "\"a\\\"      | \"a\\\"",
        "\" \"        | \"\"",
    })
    void trimTrailingSpaces_likeGit(String line, String expected) {
        assertThat(IgnorePattern.trimTrailingSpaces(line)).isEqualTo(expected);
    }

    @Test
    void ignoreFileLine_isAnchoredToItsBase() {
        IgnorePattern p = IgnorePattern.parseLine("a/b", false, false, "f", 1).orElseThrow();
        assertThat(p.matches(new String[] {"a"}, 0, "b", false)).isTrue();
        assertThat(p.matches(new String[] {"x", "a"}, 0, "b", false)).isFalse();
        // relative to a base two components deep
        assertThat(p.matches(new String[] {"home", "ana", "a"}, 2, "b", false)).isTrue();
    }

    private static boolean matches(IgnorePattern p, String absolute, boolean dir) {
        String[] parts = absolute.substring(1).split("/");
        String[] parent = java.util.Arrays.copyOf(parts, parts.length - 1);
        return p.matches(parent, 0, parts[parts.length - 1], dir);
    }
}
