package dev.strata.bench;

/**
 * Settings shared by the benchmarks. Every benchmark counts one operation per byte
 * ({@code @OperationsPerInvocation}) and reports per microsecond, so JMH's "ops/us" is MB/s (10^6 bytes).
 */
final class Bench {
    /** lmdbjava needs these on Java 17; JMH forks start without the jar's manifest Add-Opens. */
    static final String ADD_OPENS_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    static final String ADD_OPENS_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    static final String HEAP = "-Xmx2g";

    static final int KIB16 = 16 * 1024;
    static final int MIB = Corpus.MIB;

    private Bench() {
    }
}
