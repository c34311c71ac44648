package dev.strata.fuse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a view is mounted.
 *
 * @param threads      Java threads serving requests
 * @param readOnly     mount read-only (immutable views)
 * @param cacheTimeout how long the kernel may keep entries and attributes (long for immutable views)
 * @param allowOther   let other users see the mount (needs user_allow_other for non-root)
 * @param fsName       what `mount` shows as the source
 */
public record MountOptions(int threads, boolean readOnly, Duration cacheTimeout, boolean allowOther, String fsName) {
    public MountOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one thread");
        }
    }

    /** A read-only mount of immutable views: the kernel keeps pages and attributes for a day. */
    public static MountOptions immutable(String fsName) {
        return new MountOptions(4, true, Duration.ofDays(1), false, fsName);
    }

    /**
     * A read-write mount holding live volumes: the kernel keeps entries and attributes for a second
     * and rereads file pages at each open, since a volume can change other than through the mount.
     */
    public static MountOptions mutable(String fsName) {
        return new MountOptions(4, false, Duration.ofSeconds(1), false, fsName);
    }

    public MountOptions withAllowOther(boolean b) {
        return new MountOptions(threads, readOnly, cacheTimeout, b, fsName);
    }

    public MountOptions withThreads(int n) {
        return new MountOptions(n, readOnly, cacheTimeout, allowOther, fsName);
    }

    /** The libfuse option string. */
    String optionString() {
        List<String> o = new ArrayList<>();
        if (readOnly) {
            o.add("ro");
            // The kernel keeps file pages between opens: snapshot contents never change.
            o.add("kernel_cache");
        }
        // No hard_remove: a file unlinked or renamed over while open stays reachable through libfuse by
        // a hidden name (fstat, fchmod, ftruncate on it need a path); the adapter keeps that name out
        // of the view (FuseAdapter.hide), and the volume keeps the file until its last close.
        o.add("use_ino");
        o.add("default_permissions");
        o.add("noatime");
        if (!readOnly) {
            // Writes of up to 128 KiB per request instead of libfuse 2's one page: a sequential write
            // costs 32 times fewer requests.
            o.add("big_writes");
        }
        long s = cacheTimeout.toSeconds();
        o.add("entry_timeout=" + s);
        o.add("attr_timeout=" + s);
        o.add("negative_timeout=0");
        o.add("fsname=" + fsName.replace(",", "_"));
        o.add("subtype=strata");
        if (allowOther) {
            o.add("allow_other");
        }
        return String.join(",", o);
    }
}
