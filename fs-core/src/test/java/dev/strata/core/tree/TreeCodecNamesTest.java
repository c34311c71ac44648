package dev.strata.core.tree;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.name.NameBytes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names in tree objects are bytes (docs/format.md §10.2): any bytes but '/' and NUL survive encoding. */
class TreeCodecNamesTest {
    private static final byte[] LATIN1_CAFE = {'c', 'a', 'f', (byte) 0xE9};

    @Test
    void utf8Names_keepTheirEncoding_soOldTreesReadUnchanged() throws CorruptDataException {
        // A tree with one empty file "é", as every version of the format has written it.
        byte[] old = HexFormat.of().parseHex("5354525401" + "01" + "02c3a9" + "01" + "a403" + "00" + "00" + "00" + "00"
                + "0000" + "0000" + "0000" + "00" + "00" + "01" + "00" + "00" + "00" + "00" + "00" + "00");
        Tree t = TreeCodec.decode(old, "old tree");
        assertThat(t.nodes()).extracting(Node::name).containsExactly("é");
        assertThat(TreeCodec.encode(t)).isEqualTo(old);
    }

    @Test
    void nonUtf8Names_andSymlinkTargets_roundTripAsBytes() throws CorruptDataException {
        String cafe = NameBytes.decode(LATIN1_CAFE);
        Node file = Node.builder(cafe, NodeType.FILE).content(new FileContent.Inline(List.of())).build();
        Node link = Node.builder("link", NodeType.SYMLINK).linkTarget(LATIN1_CAFE).build();
        Node dir = Node.builder(NameBytes.decode(new byte[] {(byte) 0xFF, 'd'}), NodeType.DIRECTORY)
                .subtree(ChunkId.of(new byte[32])).xattrs(List.of(new Xattr(NameBytes.decode(new byte[] {'u', 's', 'e', 'r', '.', (byte) 0x80}), new byte[] {1})))
                .build();
        byte[] encoded = TreeCodec.encode(new Tree(List.of(file, link, dir)));
        assertThat(contains(encoded, LATIN1_CAFE)).isTrue();
        Tree back = TreeCodec.decode(encoded, "tree");
        assertThat(back.nodes()).containsExactly(file, link, dir); // byte order: "caf\xe9" < "link" < "\xffd"
        assertThat(back.find(cafe)).contains(file);
        assertThat(NameBytes.encode(back.nodes().get(2).xattrs().get(0).name())).endsWith((byte) 0x80);
        assertThat(back.nodes().get(1).linkTarget()).isEqualTo(LATIN1_CAFE);
    }

    @Property(tries = 300)
    void anyNames_roundTrip_inByteOrder(@ForAll("names") List<byte[]> names) throws CorruptDataException {
        List<Node> nodes = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (byte[] n : names) {
            String s = NameBytes.decode(n);
            if (Names.isSafe(s) && seen.add(s)) {
                nodes.add(Node.builder(s, NodeType.FIFO).build());
            }
        }
        Tree back = TreeCodec.decode(TreeCodec.encode(new Tree(nodes)), "tree");
        List<byte[]> decoded = back.nodes().stream().map(n -> NameBytes.encode(n.name())).toList();
        for (int i = 1; i < decoded.size(); i++) {
            assertThat(Arrays.compareUnsigned(decoded.get(i - 1), decoded.get(i))).isNegative();
        }
        assertThat(back.nodes()).containsExactlyInAnyOrderElementsOf(nodes);
    }

    @Test
    void namesOutOfByteOrder_areRefused() {
        // "\xe9" then "z": sorted as UTF-16 strings (U+DCE9 > 'z') would be wrong; as bytes 0xE9 > 'z' too,
        // so write them in the wrong byte order by hand.
        byte[] wrong = HexFormat.of().parseHex("5354525401" + "02" + node("01e9") + node("017a"));
        assertThatThrownBy(() -> TreeCodec.decode(wrong, "tree")).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("not strictly sorted at 'z'");
    }

    @Test
    void slashAndNul_stayRefused_evenAmongOtherBytes() {
        for (String name : new String[] {"02ff2f", "03ff0061", "022e2e"}) {
            byte[] bad = HexFormat.of().parseHex("5354525401" + "01" + node(name));
            assertThatThrownBy(() -> TreeCodec.decode(bad, "tree")).as(name).isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("unsafe entry name");
        }
    }

    @Test
    void aStringFromNoByteString_isNoName() {
        assertThat(Names.isSafe("\uDCC3\uDCA9")).isFalse(); // these escapes spell "é"
        assertThatThrownBy(() -> Node.builder("a\uD800", NodeType.FIFO).build()).isInstanceOf(IllegalArgumentException.class);
    }

    /** A fifo node with the given hex-encoded name bytes (length prefix included). */
    private static String node(String nameWithLength) {
        return nameWithLength + "04" + "00" + "00" + "00" + "00" + "00" + "0000" + "0000" + "0000" + "00" + "00" + "01" + "00" + "00" + "00" + "00";
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Provide
    Arbitrary<List<byte[]>> names() {
        Arbitrary<Byte> b = Arbitraries.of((byte) 'a', (byte) 'b', (byte) 0xC3, (byte) 0xA9, (byte) 0xE9, (byte) 0xFF,
                (byte) 0x80, (byte) '.', (byte) '\n', (byte) 0xF0, (byte) 0x9F);
        return b.array(byte[].class).ofMinSize(1).ofMaxSize(6).list().ofMaxSize(20);
    }
}
