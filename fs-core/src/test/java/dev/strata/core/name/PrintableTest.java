package dev.strata.core.name;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrintableTest {

    @Test
    void ordinaryNames_areShownAsTheyAre() {
        for (String s : new String[] {"notes.txt", "résumé.odt", "日本語", "\uD83D\uDE00 smile", "dir with spaces"}) {
            assertThat(Printable.of(s)).isEqualTo(s);
        }
    }

    @Test
    void bytesThatAreNotUtf8_areShownAsHex() {
        assertThat(Printable.of(NameBytes.decode(new byte[] {'c', 'a', 'f', (byte) 0xE9}))).isEqualTo("caf\\xe9");
    }

    @Test
    void controlCharacters_stayOnOneLine() {
        assertThat(Printable.of("a\nb")).isEqualTo("a\\nb");
        assertThat(Printable.of("tab\there\r")).isEqualTo("tab\\there\\r");
        assertThat(Printable.of("bell\u0007 del\u007f")).isEqualTo("bell\\x07 del\\x7f");
        assertThat(Printable.of("c1\u0085 ls\u2028")).isEqualTo("c1\\u0085 ls\\u2028");
    }

    @Test
    void aBackslash_isDoubled_soEscapesAreUnambiguous() {
        assertThat(Printable.of("caf\\xe9")).isEqualTo("caf\\\\xe9");
    }

    /** Distinct byte strings never print the same, and nothing printed holds a line break. */
    @Property(tries = 3000)
    void printing_isInjective_andSingleLine(@ForAll @Size(min = 1, max = 6) byte[] a, @ForAll @Size(min = 1, max = 6) byte[] b) {
        String pa = Printable.of(NameBytes.decode(a));
        String pb = Printable.of(NameBytes.decode(b));
        assertThat(pa.equals(pb)).isEqualTo(java.util.Arrays.equals(a, b));
        assertThat(pa).doesNotContain("\n", "\r", "\u2028", "\u2029");
        assertThat(pa.chars().allMatch(c -> c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F))).isTrue();
    }

    @Test
    void fewPrintedFormsCollide_overAllTwoByteNames() {
        Map<String, Integer> seen = new HashMap<>();
        for (int x = 1; x < 256; x++) {
            for (int y = 1; y < 256; y++) {
                String p = Printable.of(NameBytes.decode(new byte[] {(byte) x, (byte) y}));
                Integer before = seen.put(p, x * 256 + y);
                assertThat(before).as(p).isNull();
            }
        }
    }
}
