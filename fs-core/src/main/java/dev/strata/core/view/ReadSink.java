package dev.strata.core.view;

/** Where a read puts its bytes: the caller's buffer (for FUSE, the kernel's reply buffer). */
public interface ReadSink {
    /** Copies {@code length} bytes of {@code src} from {@code srcOffset} to position {@code at}. */
    void put(int at, byte[] src, int srcOffset, int length);

    /** Writes {@code length} zero bytes at position {@code at} (a hole). */
    void zero(int at, int length);
}
