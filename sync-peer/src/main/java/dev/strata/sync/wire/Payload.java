package dev.strata.sync.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one message's payload (big-endian), turning every shortfall, excess or bad
 * text into a {@link FrameException} that names the message. Confined to one thread.
 */
final class Payload {
    private final ByteBuffer buf;
    private final MessageType type;

    Payload(Frame frame) {
        this.buf = ByteBuffer.wrap(frame.payload());
        this.type = frame.type();
    }

    private void need(int n, String field) throws FrameException {
        if (buf.remaining() < n) {
            throw new FrameException("a " + type + " message too short for its " + field + " (" + buf.remaining()
                    + " bytes left, " + n + " needed)");
        }
    }

    int u8(String field) throws FrameException {
        need(1, field);
        return buf.get() & 0xFF;
    }

    int u16(String field) throws FrameException {
        need(2, field);
        return buf.getShort() & 0xFFFF;
    }

    /** An unsigned 32-bit count or number, refused above {@code max}. */
    int u32(String field, long max) throws FrameException {
        need(4, field);
        long v = buf.getInt() & 0xFFFFFFFFL;
        if (v > max) {
            throw new FrameException("a " + type + " message whose " + field + " is " + v + ", more than " + max);
        }
        return (int) v;
    }

    long u64(String field) throws FrameException {
        need(8, field);
        return buf.getLong();
    }

    byte[] bytes(int n, String field) throws FrameException {
        need(n, field);
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    byte[] rest() {
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        return b;
    }

    /** UTF-8 text preceded by its u16 length; malformed UTF-8 is refused. */
    String text(String field) throws FrameException {
        byte[] b = bytes(u16(field + " length"), field);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new FrameException("a " + type + " message whose " + field + " is not UTF-8");
        }
    }

    void end() throws FrameException {
        if (buf.hasRemaining()) {
            throw new FrameException("a " + type + " message with " + buf.remaining() + " bytes too many");
        }
    }

    static byte[] text(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > maxBytes) {
            // Cut on a character boundary so the receiver still reads valid UTF-8.
            int n = maxBytes;
            while (n > 0 && (b[n] & 0xC0) == 0x80) {
                n--;
            }
            b = java.util.Arrays.copyOf(b, n);
        }
        return ByteBuffer.allocate(2 + b.length).putShort((short) b.length).put(b).array();
    }
}
