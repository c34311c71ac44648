package dev.strata.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags tools/launcher gives every strata JVM, besides the heap, for the JVMs a strata process
 * starts itself (a mount's daemon) and the tests' child JVMs, so that they run as a person's commands
 * do: the serial collector and a heap that gives memory back, the compiler threads started at once,
 * C2's thresholds raised tenfold (docs/benchmarks.md, "Start-up and the JIT"), and the C heap trimmed
 * where the JVM knows how ({@link NativeHeapTrim}). tools/launcher says why each is there; keep the
 * two in step. Stateless.
 */
public final class JvmFlags {
    private static final List<String> FIXED = List.of("-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30", "-XX:-UseDynamicNumberOfCompilerThreads", "-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4MinInvocationThreshold=6000", "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000");

    private JvmFlags() {
    }

    /** The flags for a JVM of this one's version (a child runs the same java). */
    public static List<String> common() {
        List<String> flags = new ArrayList<>(FIXED);
        flags.addAll(NativeHeapTrim.flags());
        return List.copyOf(flags);
    }
}
