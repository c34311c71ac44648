package dev.strata.fuse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KernelRequestsTest {
    @Test
    void countsEachKind_andSaysTheMostFrequentFirst_withItsMeanTime() {
        KernelRequests r = new KernelRequests();
        r.add(1, 4_000);
        r.add(28, 1_000);
        r.add(28, 3_000);
        r.add(28, 2_000);
        assertThat(r.count(28)).isEqualTo(3);
        assertThat(r.total()).isEqualTo(4);
        assertThat(r).hasToString("4 requests: readdir 3 (2 µs), lookup 1 (4 µs)");
    }

    @Test
    void anOpcodeItDoesNotKnow_countsAsOther() {
        KernelRequests r = new KernelRequests();
        r.add(7, 0);
        r.add(999, 0);
        r.add(-1, 0);
        assertThat(r.count(0)).isEqualTo(3);
        assertThat(r).hasToString("3 requests: other 3 (0 µs)");
    }
}
