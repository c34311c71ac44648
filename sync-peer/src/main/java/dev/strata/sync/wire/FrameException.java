package dev.strata.sync.wire;

import java.io.IOException;

/** A frame or message that breaks the wire format: the connection that sent it cannot be trusted to go on. */
public final class FrameException extends IOException {
    public FrameException(String message) {
        super(message);
    }
}
