package dev.strata.image.browse;

import dev.strata.core.error.CorruptDataException;

/**
 * A filesystem structure inside an image is damaged or beyond what the reader accepts (a bad
 * checksum, an entry pointing out of range, a looping tree). The message says which structure;
 * the mount answers EIO for the part it concerns.
 */
public final class FilesystemDamageException extends CorruptDataException {
    public FilesystemDamageException(String message) {
        super(message);
    }
}
