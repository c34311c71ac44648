package dev.strata.core.index;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Releases a file mapping at once. Java keeps a {@code FileChannel.map} until the buffer is garbage
 * collected, which in a long-lived process can be never: the mapped file's disk stays busy (it cannot be
 * unmounted) and a deleted file keeps its space. Java 17 has no public way to unmap, so this uses
 * {@code sun.misc.Unsafe.invokeCleaner} from the {@code jdk.unsupported} module, which every JDK ships;
 * where that is missing the mapping is left to the collector as before.
 */
final class Unmapper {
    private static final MethodHandle INVOKE_CLEANER = find();

    private Unmapper() {
    }

    /** Unmaps {@code mapped}; it must not be touched afterwards (a read would crash the JVM). */
    static void unmap(ByteBuffer mapped) {
        if (INVOKE_CLEANER == null || !mapped.isDirect()) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(mapped);
        } catch (Throwable e) {
            // Left to the garbage collector: only the timing of the release is at stake.
        }
    }

    private static MethodHandle find() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
