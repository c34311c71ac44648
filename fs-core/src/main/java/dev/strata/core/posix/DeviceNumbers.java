package dev.strata.core.posix;

/**
 * Converts between a {@code dev_t} and its major and minor numbers, in glibc's encoding (the one
 * {@code stat}, {@code mknod} and the JDK's {@code unix:dev}/{@code unix:rdev} use). Stateless and
 * thread-safe.
 */
public final class DeviceNumbers {
    private DeviceNumbers() {
    }

    /** glibc's {@code makedev}: 12 bits of major and 8 of minor low, the rest above bit 32. */
    public static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0x00000fffL) << 8)
                | ((ma & 0xfffff000L) << 32)
                | (mi & 0x000000ffL)
                | ((mi & 0xffffff00L) << 12);
    }

    public static int major(long dev) {
        return (int) (((dev >>> 8) & 0x00000fffL) | ((dev >>> 32) & 0xfffff000L));
    }

    public static int minor(long dev) {
        return (int) ((dev & 0x000000ffL) | ((dev >>> 12) & 0xffffff00L));
    }
}
