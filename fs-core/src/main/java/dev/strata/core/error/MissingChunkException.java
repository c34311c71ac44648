package dev.strata.core.error;

import java.io.IOException;

/** A chunk that something refers to is in neither the index nor any pack. */
public class MissingChunkException extends IOException {
    public MissingChunkException(String message) {
        super(message);
    }
}
