package dev.strata.core.view;

import java.io.IOException;

/** A view refused an operation with a POSIX error ({@link PosixError}); the message names what and why. */
public final class PosixException extends IOException {
    private final PosixError error;

    public PosixException(PosixError error, String message) {
        super(message + " (" + error + ")");
        this.error = error;
    }

    public PosixError error() {
        return error;
    }
}
