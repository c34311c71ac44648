package dev.strata.sync.wire;

import dev.strata.sync.identity.DeviceId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The first message each side sends once TLS is up: "this is Strata sync", the protocol versions it
 * speaks, the device it is (which must be the device its certificate stands for) and a name for
 * people (the host name). Immutable.
 */
public record Hello(int minVersion, int maxVersion, DeviceId device, String name) {
    /** "STSY": what a Strata sync hello starts with, so that anything else is told apart at once. */
    static final byte[] MAGIC = "STSY".getBytes(StandardCharsets.US_ASCII);
    public static final int MAX_NAME_BYTES = 255;

    public Hello {
        if (minVersion < 1 || maxVersion < minVersion || maxVersion > 0xFFFF) {
            throw new IllegalArgumentException("versions " + minVersion + ".." + maxVersion);
        }
    }

    public Frame encode() {
        byte[] text = Payload.text(name, MAX_NAME_BYTES);
        byte[] p = ByteBuffer.allocate(MAGIC.length + 4 + DeviceId.LENGTH + text.length).put(MAGIC)
                .putShort((short) minVersion).putShort((short) maxVersion).put(device.bytes()).put(text).array();
        return new Frame(MessageType.HELLO, p);
    }

    public static Hello decode(Frame frame) throws FrameException {
        if (frame.type() != MessageType.HELLO) {
            throw new FrameException("a " + frame.type() + " message where the hello was due");
        }
        Payload p = new Payload(frame);
        if (!java.util.Arrays.equals(p.bytes(MAGIC.length, "magic"), MAGIC)) {
            throw new FrameException("a hello that is not Strata sync's (wrong magic)");
        }
        int min = p.u16("lowest version");
        int max = p.u16("highest version");
        if (min < 1 || max < min) {
            throw new FrameException("a hello with versions " + min + ".." + max);
        }
        DeviceId device = DeviceId.of(p.bytes(DeviceId.LENGTH, "device ID"));
        String name = p.text("name");
        p.end();
        return new Hello(min, max, device, name);
    }

    /** The highest version both sides speak, or -1 if they share none. */
    public int agree(Hello other) {
        int v = Math.min(maxVersion, other.maxVersion);
        return v >= Math.max(minVersion, other.minVersion) ? v : -1;
    }
}
