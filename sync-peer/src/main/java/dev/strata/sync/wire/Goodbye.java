package dev.strata.sync.wire;

/** The last message of a connection ended on purpose: why, in one line for the other side's log. Immutable. */
public record Goodbye(String reason) {
    static final int MAX_REASON_BYTES = 1024;

    public Frame encode() {
        return new Frame(MessageType.GOODBYE, Payload.text(reason, MAX_REASON_BYTES));
    }

    public static Goodbye decode(Frame frame) throws FrameException {
        Payload p = new Payload(frame);
        String reason = p.text("reason");
        p.end();
        return new Goodbye(reason);
    }
}
