package dev.strata.core.posix;

import java.lang.ref.Reference;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.byref.PointerByReference;

/**
 * Looks up user and group names and ids through the C library ({@code getpwuid_r} and friends, so
 * NSS sources such as LDAP count) and caches every answer for the life of the process. Thread-safe.
 *
 * <p>Absent entries are cached too; a lookup that fails for another reason (an unreachable
 * directory server) answers empty and is tried again next time.
 */
final class UserDatabase {
    private static final int FIRST_BUFFER = 1024;
    private static final int MAX_BUFFER = 1 << 20;
    /** Bigger than struct passwd and struct group on any ABI. */
    private static final int STRUCT_SIZE = 256;

    /** One of the four {@code get*_r} calls, bound to its key. */
    private interface Lookup {
        int call(Pointer entry, Pointer buffer, long size, PointerByReference result);
    }

    /** A lookup that neither found the entry nor established that it does not exist. */
    private static final class LookupFailed extends RuntimeException {
        LookupFailed() {
            super(null, null, false, false);
        }
    }

    private final Libc.Functions libc;
    private final jnr.ffi.Runtime runtime;
    private final ConcurrentMap<Integer, Optional<String>> userNames = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Optional<String>> groupNames = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, OptionalInt> uids = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, OptionalInt> gids = new ConcurrentHashMap<>();

    UserDatabase(Libc.Functions libc) {
        this.libc = libc;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
    }

    Optional<String> userName(int uid) {
        return cached(userNames, uid, Optional.empty(),
                () -> Optional.ofNullable(find((e, b, n, r) -> libc.getpwuid_r(uid, e, b, n, r), this::name)));
    }

    Optional<String> groupName(int gid) {
        return cached(groupNames, gid, Optional.empty(),
                () -> Optional.ofNullable(find((e, b, n, r) -> libc.getgrgid_r(gid, e, b, n, r), this::name)));
    }

    OptionalInt uid(String name) {
        byte[] key = NativePath.terminated(name);
        return cached(uids, name, OptionalInt.empty(),
                () -> toOptionalInt(find((e, b, n, r) -> libc.getpwnam_r(key, e, b, n, r), this::id)));
    }

    OptionalInt gid(String name) {
        byte[] key = NativePath.terminated(name);
        return cached(gids, name, OptionalInt.empty(),
                () -> toOptionalInt(find((e, b, n, r) -> libc.getgrnam_r(key, e, b, n, r), this::id)));
    }

    private static <K, V> V cached(ConcurrentMap<K, V> cache, K key, V onFailure, Supplier<V> lookup) {
        try {
            return cache.computeIfAbsent(key, k -> lookup.get());
        } catch (LookupFailed e) {
            return onFailure; // not cached: the next call asks again
        }
    }

    /** The first field of both struct passwd and struct group is the name. */
    private String name(Pointer entry) {
        Pointer name = entry.getPointer(0);
        int length = name.indexOf(0, (byte) 0, MAX_BUFFER);
        byte[] bytes = new byte[Math.max(length, 0)];
        name.get(0, bytes, 0, bytes.length);
        return NativePath.decode(bytes, 0, bytes.length);
    }

    /** Both structs have the id after two char pointers (name, password). */
    private Integer id(Pointer entry) {
        return entry.getInt(2L * runtime.addressSize());
    }

    private static OptionalInt toOptionalInt(Integer id) {
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * Runs the lookup, growing the string buffer while it is too small, and reads the entry with
     * {@code read} while the buffer its strings point into is still alive.
     *
     * @return what {@code read} returned, or null if there is no such entry
     * @throws LookupFailed if the lookup failed for any other reason
     */
    private <T> T find(Lookup lookup, Function<Pointer, T> read) {
        Pointer entry = Memory.allocateDirect(runtime, STRUCT_SIZE);
        for (int size = FIRST_BUFFER; size <= MAX_BUFFER; size *= 2) {
            Pointer buffer = Memory.allocateDirect(runtime, size);
            PointerByReference result = new PointerByReference();
            int error = lookup.call(entry, buffer, size, result);
            if (error == Errno.ERANGE) {
                continue;
            }
            try {
                if (error == 0) {
                    Pointer found = result.getValue();
                    return found == null || found.address() == 0 ? null : read.apply(entry);
                }
                // getpwnam(3): these mean "not found" on one system or another.
                if (error == Errno.ENOENT || error == Errno.ESRCH || error == Errno.EBADF
                        || error == Errno.EPERM) {
                    return null;
                }
                throw new LookupFailed();
            } finally {
                Reference.reachabilityFence(buffer);
                Reference.reachabilityFence(entry);
            }
        }
        throw new LookupFailed();
    }
}
