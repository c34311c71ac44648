package dev.strata.cli;

import java.lang.reflect.Field;

/** A program that crashes its JVM with SIGSEGV, as a native library bug would, for {@link CrashReportsTest}. */
public final class CrashingMain {
    private CrashingMain() {
    }

    public static void main(String[] args) throws Exception {
        Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object unsafe = f.get(null);
        unsafe.getClass().getMethod("putAddress", long.class, long.class).invoke(unsafe, 8L, 1L);
        System.out.println("not crashed");
    }
}
