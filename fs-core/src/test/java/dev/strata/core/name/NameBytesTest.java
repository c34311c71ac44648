package dev.strata.core.name;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NameBytesTest {

    /** Any name Linux allows (bytes without '/' and NUL, up to 255) comes back byte for byte. */
    @Property(tries = 2000)
    void anyFileName_roundTrips(@ForAll("fileNames") byte[] name) {
        String s = NameBytes.decode(name);
        assertThat(NameBytes.encode(s)).isEqualTo(name);
        assertThat(NameBytes.isCanonical(s)).isTrue();
        assertThat(s.indexOf('/')).isNegative();
        assertThat(s.indexOf('\0')).isNegative();
    }

    @Property(tries = 1000)
    void anyByteString_roundTrips(@ForAll @Size(max = 64) byte[] bytes) {
        assertThat(NameBytes.encode(NameBytes.decode(bytes))).isEqualTo(bytes);
    }

    @Property(tries = 1000)
    void validUtf8_decodesAsTheJdkDoes_andKeepsItsBytes(@ForAll @Size(max = 40) String text) {
        String wellFormed = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        byte[] utf8 = wellFormed.getBytes(StandardCharsets.UTF_8);
        assertThat(NameBytes.decode(utf8)).isEqualTo(wellFormed);
        assertThat(NameBytes.encode(wellFormed)).isEqualTo(utf8);
        assertThat(NameBytes.hasEscapes(wellFormed)).isFalse();
    }

    @Property(tries = 2000)
    void compare_isTheUnsignedOrderOfTheBytes(@ForAll("fileNames") byte[] a, @ForAll("fileNames") byte[] b) {
        int expected = Integer.signum(Arrays.compareUnsigned(a, b));
        assertThat(Integer.signum(NameBytes.compare(NameBytes.decode(a), NameBytes.decode(b)))).isEqualTo(expected);
    }

    @Property(tries = 500)
    void compare_ofAPrefix_comesFirst(@ForAll("fileNames") byte[] a, @ForAll("fileNames") byte[] tail) {
        byte[] longer = Arrays.copyOf(a, a.length + tail.length);
        System.arraycopy(tail, 0, longer, a.length, tail.length);
        int c = NameBytes.compare(NameBytes.decode(a), NameBytes.decode(longer));
        assertThat(Integer.signum(c)).isEqualTo(Integer.signum(Arrays.compareUnsigned(a, longer)));
    }

    @Test
    void latin1Byte_becomesAnEscape_andBack() {
        byte[] cafe = {'c', 'a', 'f', (byte) 0xE9};
        String s = NameBytes.decode(cafe);
        assertThat(s).isEqualTo("caf\uDCE9");
        assertThat(NameBytes.hasEscapes(s)).isTrue();
        assertThat(NameBytes.encode(s)).isEqualTo(cafe);
    }

    @Test
    void malformedSequences_escapeEachByte() {
        // overlong '/', an encoded surrogate, a cut sequence, a code point beyond U+10FFFF
        byte[][] cases = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xB2, (byte) 0x80},
            {'a', (byte) 0xE2, (byte) 0x82}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        for (byte[] c : cases) {
            String s = NameBytes.decode(c);
            assertThat(s.chars().filter(ch -> ch >= 0xDC80 && ch <= 0xDCFF).count()).as(Arrays.toString(c))
                    .isEqualTo(c.length - (c[0] == 'a' ? 1 : 0));
            assertThat(NameBytes.encode(s)).isEqualTo(c);
        }
    }

    @Test
    void stringsFromNoByteString_areNotCanonical() {
        assertThat(NameBytes.isCanonical("a\uD800b")).isFalse();
        assertThat(NameBytes.isCanonical("\uDC41")).isFalse(); // escapes only bytes 0x80..0xFF
        // Two escapes that spell "é" in UTF-8 decode as "é", not as themselves.
        assertThat(NameBytes.isCanonical("\uDCC3\uDCA9")).isFalse();
        assertThat(NameBytes.isCanonical("caf\uDCE9")).isTrue();
        assertThat(NameBytes.isCanonical("\uD83D\uDE00 smile")).isTrue();
        assertThatThrownBy(() -> NameBytes.encode("a\uD800")).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<byte[]> fileNames() {
        // Weighted towards bytes that make and break UTF-8 sequences.
        Arbitrary<Byte> interesting = Arbitraries.of((byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC2, (byte) 0xDF,
                (byte) 0xE0, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF, (byte) 'a',
                (byte) '\n', (byte) 0xA9, (byte) 0xC3);
        Arbitrary<Byte> any = Arbitraries.bytes().filter(b -> b != 0 && b != '/');
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, any), net.jqwik.api.Tuple.of(1, interesting))
                .array(byte[].class).ofMinSize(1).ofMaxSize(255);
    }
}
