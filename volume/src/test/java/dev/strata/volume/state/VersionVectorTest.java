package dev.strata.volume.state;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionVectorTest {
    private static final long A = 0x8000_0000_0000_0001L; // sorts last unsigned, first signed
    private static final long B = 2;

    @Test
    void compare_tellsNewerOlderEqualAndConcurrent() {
        VersionVector a1 = VersionVector.EMPTY.bump(A, 1);
        VersionVector a1b5 = a1.bump(B, 5);
        VersionVector a3 = a1.bump(A, 3);

        assertThat(a1b5.compare(a1)).isEqualTo(VersionVector.Order.AFTER);
        assertThat(a1.compare(a1b5)).isEqualTo(VersionVector.Order.BEFORE);
        assertThat(a1.compare(VersionVector.EMPTY.bump(A, 1))).isEqualTo(VersionVector.Order.EQUAL);
        assertThat(a3.compare(a1b5)).isEqualTo(VersionVector.Order.CONCURRENT);
        assertThat(a1b5.compare(a3)).isEqualTo(VersionVector.Order.CONCURRENT);
        assertThat(VersionVector.EMPTY.compare(a1)).isEqualTo(VersionVector.Order.BEFORE);
        assertThat(VersionVector.EMPTY.compare(VersionVector.EMPTY)).isEqualTo(VersionVector.Order.EQUAL);
    }

    @Test
    void merge_takesEachDevicesLargerCounter_andDominatesBoth() {
        VersionVector x = VersionVector.EMPTY.bump(A, 4).bump(B, 1);
        VersionVector y = VersionVector.EMPTY.bump(B, 7);
        VersionVector m = x.merge(y);
        assertThat(m.counterOf(A)).isEqualTo(4);
        assertThat(m.counterOf(B)).isEqualTo(7);
        assertThat(m.bump(A, 9).compare(x)).isEqualTo(VersionVector.Order.AFTER);
        assertThat(m.bump(A, 9).compare(y)).isEqualTo(VersionVector.Order.AFTER);
    }

    @Test
    void equalVectors_areEqual_whateverOrderTheyWereBuiltIn() {
        VersionVector one = VersionVector.EMPTY.bump(A, 1).bump(B, 2);
        VersionVector two = VersionVector.of(new long[]{B, A}, new long[]{2, 1});
        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(one.device(0)).isEqualTo(B); // unsigned order: 2 before 0x8000…
    }

    @Test
    void counters_onlyGrow_andDevicesAppearOnce() {
        VersionVector a5 = VersionVector.EMPTY.bump(A, 5);
        assertThatThrownBy(() -> a5.bump(A, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VersionVector.of(new long[]{A, A}, new long[]{1, 2}))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> VersionVector.of(new long[]{A}, new long[]{0})).hasMessageContaining("positive");
    }
}
