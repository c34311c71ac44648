package dev.strata.core.id;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HexTest {

    @Property(tries = 200)
    void encodeDecode_roundTrips_andEncodesLowercase(@ForAll @Size(max = 100) byte[] bytes) {
        String hex = Hex.encode(bytes);
        assertEquals(HexFormat.of().formatHex(bytes), hex);
        assertArrayEquals(bytes, Hex.decode(hex));
        assertArrayEquals(bytes, Hex.decode(hex.toUpperCase()));
        assertTrue(Hex.isHex(hex, hex.length()));
    }

    @Test
    void encode_knownValues() {
        assertEquals("", Hex.encode(new byte[0]));
        assertEquals("00ff7f80", Hex.encode(new byte[] {0, -1, 127, -128}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "abc", "0g", "g0", "  ", "0x", "-1"})
    void decode_rejectsWhatIsNotHex(String s) {
        assertThrows(IllegalArgumentException.class, () -> Hex.decode(s));
    }

    /** Character.digit also accepts non-ASCII digits; hex in names and files is ASCII only. */
    @ParameterizedTest
    @ValueSource(strings = {"\uff10\uff10", "\u0660\u0661", "\uff21\uff22", "0\u0969", "\u00b9\u00b2"})
    void decode_andIsHex_rejectNonAsciiDigits(String s) {
        assertThrows(IllegalArgumentException.class, () -> Hex.decode(s));
        assertFalse(Hex.isHex(s, s.length()));
    }

    @Test
    void isHex_checksLengthAndDigits() {
        assertTrue(Hex.isHex("0123456789abcdefABCDEF", 22));
        assertFalse(Hex.isHex("0123", 3));
        assertFalse(Hex.isHex("012z", 4));
    }
}
