package dev.strata.core.id;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Id32Test {
    private static byte[] bytes(long seed) {
        byte[] b = new byte[32];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void parse_toString_roundTrip() {
        ChunkId c = ChunkId.of(bytes(1));
        assertEquals(64, c.toString().length());
        assertEquals(c, ChunkId.parse(c.toString()));
        assertEquals(c, ChunkId.parse(c.toString().toUpperCase()));
        assertEquals(c.toString().substring(0, 8), c.shortString());
        PackId p = PackId.of(bytes(2));
        assertEquals(p, PackId.parse(p.toString()));
    }

    @Test
    void parse_rejectsWrongLengthsAndNonHex() {
        String ok = ChunkId.of(bytes(3)).toString();
        assertThrows(IllegalArgumentException.class, () -> ChunkId.parse(ok.substring(1)));
        assertThrows(IllegalArgumentException.class, () -> ChunkId.parse(ok + "0"));
        assertThrows(IllegalArgumentException.class, () -> ChunkId.parse("z" + ok.substring(1)));
        assertThrows(IllegalArgumentException.class, () -> PackId.parse("\uff10".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> ChunkId.of(new byte[31]));
    }

    @Test
    void equals_needsSameKindAndBytes() {
        byte[] b = bytes(4);
        assertEquals(ChunkId.of(b), ChunkId.of(b.clone()));
        assertEquals(ChunkId.of(b).hashCode(), ChunkId.of(b.clone()).hashCode());
        assertNotEquals(ChunkId.of(b), PackId.of(b), "a chunk id is never a pack id");
        b[31] ^= 1;
        assertNotEquals(ChunkId.of(bytes(4)), ChunkId.of(b));
    }

    @Test
    void ids_copyTheirBytes() {
        byte[] b = bytes(5);
        ChunkId id = ChunkId.of(b);
        b[0] ^= 1;
        id.bytes()[1] ^= 1;
        assertArrayEquals(bytes(5), id.bytes());
        byte[] wide = new byte[40];
        id.copyTo(wide, 4);
        assertEquals(ChunkId.of(wide, 4), id);
        assertEquals(PackId.of(bytes(6)), PackId.of(concat(new byte[3], bytes(6)), 3));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void compareTo_isUnsignedLexicographic() {
        byte[] low = new byte[32];
        byte[] high = new byte[32];
        high[0] = (byte) 0x80; // negative as a signed byte, but the larger id
        assertTrue(ChunkId.of(low).compareTo(ChunkId.of(high)) < 0);
        assertTrue(ChunkId.of(high).compareTo(ChunkId.of(low)) > 0);
        assertEquals(0, ChunkId.of(low).compareTo(ChunkId.of(low.clone())));
    }

    @Test
    void random_packIdsDiffer() {
        assertNotEquals(PackId.random(), PackId.random());
    }
}
