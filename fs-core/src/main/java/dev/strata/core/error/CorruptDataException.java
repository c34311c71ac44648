package dev.strata.core.error;

import java.io.IOException;

/**
 * Stored bytes failed an integrity check (an authentication tag, a magic, a length, an id). The
 * message names the blob (pack, snapshot, key file) so the damage can be found.
 */
public class CorruptDataException extends IOException {
    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
