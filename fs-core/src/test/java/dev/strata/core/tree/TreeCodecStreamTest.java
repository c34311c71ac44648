package dev.strata.core.tree;

import dev.strata.core.error.CorruptDataException;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Trees written one entry at a time and read one entry at a time: the same bytes and entries as whole trees. */
class TreeCodecStreamTest {
    private static List<Node> fifos(int n) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(Node.builder(String.format("entry-%05d", i), NodeType.FIFO).mode(0600 + i % 64).build());
        }
        return nodes;
    }

    @Test
    void encoderInNameOrder_writesTheBytesOfTheWholeTree_andTheIteratorReadsItsEntries() throws CorruptDataException {
        List<Node> nodes = fifos(1000);
        TreeCodec.Encoder e = new TreeCodec.Encoder();
        nodes.forEach(e::add);
        byte[] streamed = e.finish();

        byte[] whole = TreeCodec.encode(new Tree(nodes));
        assertThat(streamed).isEqualTo(whole);
        List<Node> read = new ArrayList<>();
        TreeCodec.nodes(streamed, "tree").forEach(read::add);
        assertThat(read).isEqualTo(TreeCodec.decode(whole, "tree").nodes());
        List<Node> again = new ArrayList<>();
        TreeCodec.nodes(streamed, "tree").forEach(again::add);
        assertThat(again).as("iterable twice").isEqualTo(read);
    }

    @Test
    void encoder_refusesAnEntryOutOfOrder_orTwice() {
        TreeCodec.Encoder e = new TreeCodec.Encoder();
        e.add(Node.builder("b", NodeType.FIFO).build());
        assertThatThrownBy(() -> e.add(Node.builder("a", NodeType.FIFO).build())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.add(Node.builder("b", NodeType.FIFO).build())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDamagedEntry_comesAfterTheEntriesBeforeIt_asCorruptData() throws CorruptDataException {
        byte[] whole = TreeCodec.encode(new Tree(fifos(100)));
        byte[] damaged = whole.clone();
        int at = indexOf(damaged, "entry-00050".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        damaged[at + 9] = '0'; // entry-00000 again: out of order
        List<Node> read = new ArrayList<>();

        assertThatThrownBy(() -> TreeCodec.nodes(damaged, "tree 1234").forEach(read::add))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(CorruptDataException.class);
        assertThat(read).hasSize(50);
        assertThatThrownBy(() -> TreeCodec.decode(damaged, "tree 1234")).isInstanceOf(CorruptDataException.class);
    }

    private static int indexOf(byte[] in, byte[] what) {
        for (int i = 0; i + what.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
