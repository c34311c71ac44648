package dev.strata.sync.wire;

import dev.strata.core.id.ChunkId;
import dev.strata.sync.identity.DeviceId;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameReaderTest {
    private static final DeviceId DEVICE = DeviceId.of(filled(32, 7));

    @Test
    void framesRoundTrip_andACleanEndIsNull() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        w.write(new Hello(1, 3, DEVICE, "laptop").encode());
        w.write(new Frame(MessageType.PING, new byte[0]));
        w.write(MessageType.CHUNK, new ChunkMessages.Chunk(9, ChunkId.of(filled(32, 1)), null).header(), filled(1000, 3));
        FrameReader r = new FrameReader(new ByteArrayInputStream(out.toByteArray()), WireLimits.AFTER_HELLO);
        Hello hello = Hello.decode(r.read());
        assertThat(hello).isEqualTo(new Hello(1, 3, DEVICE, "laptop"));
        assertThat(r.read().type()).isEqualTo(MessageType.PING);
        ChunkMessages.Chunk c = ChunkMessages.Chunk.decode(r.read());
        assertThat(c.request()).isEqualTo(9);
        assertThat(c.data()).isEqualTo(filled(1000, 3));
        assertThat(r.read()).isNull();
    }

    @Test
    void anOversizeFrame_isRefusedBeforeItsPayloadIsRead() {
        // A length of 2 GiB - 1 with no payload behind it: refused from the length alone.
        byte[] wire = {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
        FrameReader r = new FrameReader(new ByteArrayInputStream(wire), WireLimits.BEFORE_HELLO);
        assertThatThrownBy(r::read).isInstanceOf(FrameException.class)
                .hasMessage("a frame of 2147483647 bytes, more than the 4096 allowed here");
        byte[] justOver = ByteBuffer.allocate(5).putInt(WireLimits.BEFORE_HELLO + 1).put((byte) 1).array();
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(justOver), WireLimits.BEFORE_HELLO).read())
                .isInstanceOf(FrameException.class).hasMessageContaining("4097 bytes");
        byte[] max = ByteBuffer.allocate(4).putInt(0xFFFFFFFF).array();
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(max), WireLimits.AFTER_HELLO).read())
                .hasMessageContaining("a frame of 4294967295 bytes");
    }

    @Test
    void malformedFrames_sayWhatIsWrong() {
        assertThat(readError(new byte[]{0, 0, 0, 0})).isEqualTo("a frame of length 0 (a frame holds at least its type)");
        assertThat(readError(new byte[]{0, 0, 0, 1, 0x42})).isEqualTo("unknown message type 0x42");
        assertThat(readError(new byte[]{0, 0})).isEqualTo("the connection ended inside its length (1 of 3 bytes came)");
        assertThat(readError(new byte[]{0, 0, 0, 9, 0x02, 1, 2})).isEqualTo("the connection ended inside a PING frame of 9 bytes (2 of 8 bytes came)");
        assertThat(readError(new byte[]{0, 0, 0, 5})).isEqualTo("the connection ended inside a frame (before its type)");
    }

    @Test
    void malformedMessages_sayWhatIsWrong() {
        byte[] hello = new Hello(1, 1, DEVICE, "x").encode().payload();
        assertThat(decodeError(() -> Hello.decode(new Frame(MessageType.HELLO, Arrays.copyOf(hello, 20)))))
                .isEqualTo("a HELLO message too short for its device ID (12 bytes left, 32 needed)");
        byte[] wrongMagic = hello.clone();
        wrongMagic[0] = 'X';
        assertThat(decodeError(() -> Hello.decode(new Frame(MessageType.HELLO, wrongMagic))))
                .isEqualTo("a hello that is not Strata sync's (wrong magic)");
        byte[] longer = Arrays.copyOf(hello, hello.length + 3);
        assertThat(decodeError(() -> Hello.decode(new Frame(MessageType.HELLO, longer))))
                .isEqualTo("a HELLO message with 3 bytes too many");
        byte[] badText = hello.clone();
        badText[badText.length - 1] = (byte) 0xC3;
        assertThat(decodeError(() -> Hello.decode(new Frame(MessageType.HELLO, badText))))
                .isEqualTo("a HELLO message whose name is not UTF-8");
        assertThat(decodeError(() -> Hello.decode(new Frame(MessageType.PING, hello))))
                .isEqualTo("a PING message where the hello was due");

        byte[] manyIds = ByteBuffer.allocate(24).putInt(1).put(new byte[16]).putInt(ChunkMessages.MAX_IDS + 1).array();
        assertThat(decodeError(() -> ChunkMessages.HaveQuery.decode(new Frame(MessageType.HAVE_QUERY, manyIds))))
                .isEqualTo("a HAVE_QUERY message whose id count is 65537, more than 65536");
        byte[] strayBit = ByteBuffer.allocate(9).putInt(1).putInt(3).put((byte) 0x08).array();
        assertThat(decodeError(() -> ChunkMessages.HaveAnswer.decode(new Frame(MessageType.HAVE_ANSWER, strayBit))))
                .isEqualTo("a HAVE_ANSWER message with bits set past its 3 ids");
    }

    @Test
    void chunkMessagesRoundTrip() throws Exception {
        List<ChunkId> ids = List.of(ChunkId.of(filled(32, 1)), ChunkId.of(filled(32, 2)), ChunkId.of(filled(32, 3)));
        SpaceId space = SpaceId.of(filled(16, 5));
        ChunkMessages.HaveQuery q = ChunkMessages.HaveQuery.decode(new ChunkMessages.HaveQuery(7, space, ids).encode());
        assertThat(q.request()).isEqualTo(7);
        assertThat(q.space()).isEqualTo(space);
        assertThat(q.ids()).isEqualTo(ids);
        BitSet lacking = new BitSet();
        lacking.set(0);
        lacking.set(2);
        ChunkMessages.HaveAnswer a = ChunkMessages.HaveAnswer.decode(new ChunkMessages.HaveAnswer(7, 3, lacking).encode());
        assertThat(a.lacking()).isEqualTo(lacking);
        assertThat(new ChunkMessages.HaveAnswer(7, 3, lacking).encode().payload()).hasSize(9);
        ChunkMessages.ChunksStored s = ChunkMessages.ChunksStored.decode(new ChunkMessages.ChunksStored(7, 1, ids.subList(0, 1)).encode());
        assertThat(s.stored()).isEqualTo(1);
        assertThat(s.refused()).containsExactly(ids.get(0));
        assertThat(ChunkMessages.RequestFailed.decode(new ChunkMessages.RequestFailed(7, "no such space").encode()).reason())
                .isEqualTo("no such space");
        assertThat(Goodbye.decode(new Goodbye("stopping").encode()).reason()).isEqualTo("stopping");
    }

    @Test
    void versions_agreeOnTheHighestShared() {
        assertThat(new Hello(1, 3, DEVICE, "a").agree(new Hello(2, 5, DEVICE, "b"))).isEqualTo(3);
        assertThat(new Hello(1, 1, DEVICE, "a").agree(new Hello(2, 2, DEVICE, "b"))).isEqualTo(-1);
    }

    private interface Decode {
        Object run() throws IOException;
    }

    private static String decodeError(Decode d) {
        try {
            d.run();
        } catch (FrameException e) {
            return e.getMessage();
        } catch (IOException e) {
            return "not a FrameException: " + e;
        }
        return "no error";
    }

    private static String readError(byte[] wire) {
        return decodeError(() -> new FrameReader(new ByteArrayInputStream(wire), WireLimits.AFTER_HELLO).read());
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }
}
