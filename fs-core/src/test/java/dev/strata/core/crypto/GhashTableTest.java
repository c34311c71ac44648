package dev.strata.core.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.bouncycastle.crypto.modes.gcm.GCMUtil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class GhashTableTest {
    @Property(tries = 300)
    void multipliesLikeTheFieldDoes(@ForAll long h0, @ForAll long h1, @ForAll long x0, @ForAll long x1) {
        long[] h = {h0, h1};
        long[] viaTable = {x0, x1};
        new GhashTable(h).multiply(viaTable);
        long[] direct = {x0, x1};
        GCMUtil.multiply(direct, h);
        assertArrayEquals(direct, viaTable);
    }
}
