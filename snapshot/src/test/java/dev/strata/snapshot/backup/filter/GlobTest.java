package dev.strata.snapshot.backup.filter;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class GlobTest {

    @ParameterizedTest(name = "{0} ~ \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', value = {
        // fast paths
        "abc      | abc      | true",
        "abc      | abcd     | false",
        "*        | x        | true",
        "*.tmp    | a.tmp    | true",
        "*.tmp    | .tmp     | true",
        "*.tmp    | a.tmpx   | false",
        "cache*   | cache    | true",
        "cache*   | caches   | true",
        "cache*   | xcache   | false",
        "*mid*    | amidb    | true",
        "*mid*    | mi       | false",
        // general
        "a*b*c    | aXbYc    | true",
        "a*b*c    | aXbY     | false",
        "*a*a*a   | aaaa     | true",
        "*a*a*a   | aab      | false",
        "?        | x        | true",
        "?        | xy       | false",
        "a?c      | abc      | true",
        "[a-c]x   | bx       | true",
        "[a-c]x   | dx       | false",
        "[!a-c]x  | dx       | true",
        "\\*      | *        | true",
        "\\*      | x        | false",
        "a**b     | aXYb     | true",
        "***      | anything | true",
        // malformed: never
        "[abc     | [abc     | false",
        "x\\      | x\\      | false",
        "[[:nope:]] | n      | false",
    })
    void matches_table(String glob, String name, boolean expected) {
        assertThat(Glob.compile(glob, false).matches(name)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ~i \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', value = {
        "README     | readme    | true",
        "*.JPG      | photo.jpg | true",
        "IMG*       | img_1.png | true",
        "*Cache*    | mycache1  | true",
        "[A-C]?x    | bzX       | true",
        "[a-c]?x    | BZX       | true",
        "[A]x       | ax        | true",
        "\\Bx       | bx        | true",
        "STRASSE    | straße    | false",
        "ÉTÉ        | été       | true",
        "[[:upper:]]x | ax      | true",
    })
    void matches_ignoringCase(String glob, String name, boolean expected) {
        assertThat(Glob.compile(glob, true).matches(name)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ~ \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', value = {
        "?.u      | ä.u     | true",
        "??.u     | ä.u     | false",
        "?        | 😀      | true",
        "[😀]x    | 😀x     | true",
        "*😀      | a😀     | true",
        "a*?      | a😀     | true",
        "[!a]     | 😀      | true",
    })
    void matches_oneCharacterPerCodePoint(String glob, String name, boolean expected) {
        assertThat(Glob.compile(glob, false).matches(name)).isEqualTo(expected);
    }

    @Property(tries = 2000)
    void matches_agreesWithReferenceMatcher(@ForAll("globs") String glob, @ForAll("names") String name) {
        assertThat(Glob.compile(glob, false).matches(name)).as("%s ~ %s", glob, name).isEqualTo(reference(glob, 0, name, 0));
    }

    @Provide
    Arbitrary<String> globs() {
        return Arbitraries.strings().withChars("ab*?\\").ofMinLength(0).ofMaxLength(7);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("ab*?\\").ofMinLength(1).ofMaxLength(7);
    }

    /** Exponential but obviously right: '*', '?', '\' escapes and literals. */
    private static boolean reference(String g, int i, String s, int j) {
        if (i == g.length()) {
            return j == s.length();
        }
        char c = g.charAt(i);
        if (c == '*') {
            for (int k = j; k <= s.length(); k++) {
                if (reference(g, i + 1, s, k)) {
                    return true;
                }
            }
            return false;
        }
        if (j == s.length()) {
            return false;
        }
        if (c == '?') {
            return reference(g, i + 1, s, j + 1);
        }
        if (c == '\\') {
            return i + 1 < g.length() && g.charAt(i + 1) == s.charAt(j) && reference(g, i + 2, s, j + 1);
        }
        return c == s.charAt(j) && reference(g, i + 1, s, j + 1);
    }
}
