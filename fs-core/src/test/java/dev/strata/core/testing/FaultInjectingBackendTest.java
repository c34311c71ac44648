package dev.strata.core.testing;

import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.testing.FaultInjectingBackend.InjectedFault;
import dev.strata.core.testing.FaultInjectingBackend.Operation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FaultInjectingBackendTest {
    private final InMemoryBackend memory = new InMemoryBackend();
    private final FaultInjectingBackend backend = new FaultInjectingBackend(memory);
    private final BlobName a = BlobName.of(BlobType.KEY, "a".repeat(32));
    private final BlobName b = BlobName.of(BlobType.KEY, "b".repeat(32));

    @Test
    void failCall_failsExactlyTheNthCallFromNow() throws IOException {
        backend.put(a, new byte[1]);
        backend.failCall(Operation.PUT, 2);

        backend.put(a, new byte[2]);
        assertThrows(InjectedFault.class, () -> backend.put(b, new byte[3]));
        assertFalse(memory.exists(b), "the failed put stored nothing");
        backend.put(b, new byte[4]);

        assertEquals(4, memory.get(b).length);
        assertEquals(4, backend.calls(Operation.PUT));
        assertEquals(0, backend.calls(Operation.GET));
    }

    @Test
    void failAlways_failsUntilHealed() throws IOException {
        backend.put(a, new byte[1]);
        backend.failAlways(Operation.LIST);
        assertThrows(InjectedFault.class, () -> backend.list(BlobType.KEY));
        assertThrows(InjectedFault.class, () -> backend.list(BlobType.KEY));
        backend.heal();
        assertEquals(1, backend.list(BlobType.KEY).size());
        assertEquals(3, backend.calls(Operation.LIST));
    }

    @Test
    void corruptReads_flipsTheByteAtThatOffset_inWholeAndRangedReads() throws IOException {
        byte[] data = RandomData.bytes(1, 1000);
        backend.put(a, data);
        backend.put(b, data);
        backend.corruptReads(a, 600);

        byte[] whole = backend.get(a);
        byte[] range = backend.read(a, 500, 200);
        byte[] before = backend.read(a, 0, 600);

        assertEquals(1, countDifferences(data, whole));
        assertEquals((byte) (data[600] ^ 1), whole[600]);
        assertEquals((byte) (data[600] ^ 1), range[100]);
        assertArrayEquals(Arrays.copyOf(data, 600), before, "a range without the byte is intact");
        assertArrayEquals(data, backend.get(b), "other blobs are intact");
        assertArrayEquals(data, memory.get(a), "the stored blob is intact");
        backend.heal();
        assertArrayEquals(data, backend.get(a));
    }

    private static int countDifferences(byte[] x, byte[] y) {
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) {
                n++;
            }
        }
        return n;
    }
}
