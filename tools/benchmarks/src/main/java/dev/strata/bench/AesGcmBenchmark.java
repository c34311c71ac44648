package dev.strata.bench;

import dev.strata.core.crypto.Aes256GcmCipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * AES-256-GCM sealing (fresh nonce, 42 bytes of associated data like a pack entry's) of 16 KiB and
 * 1 MiB blocks of the corpus through {@link Aes256GcmCipher#seal}, as the store calls it. One thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Longer warm-up: JDK 17 reaches its AES-CTR/GHASH intrinsics only after thousands of calls.
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {Bench.ADD_OPENS_NIO, Bench.ADD_OPENS_NIO_CH, Bench.HEAP})
public class AesGcmBenchmark {
    private Aes256GcmCipher cipher;
    private final byte[] aad = new byte[42];

    @Setup
    public void setUp() {
        cipher = BenchKeys.masterKey().dataCipher();
    }

    @Benchmark
    @OperationsPerInvocation(Bench.KIB16)
    public byte[] seal16k(CorpusState corpus) {
        return cipher.seal(corpus.data, corpus.nextBlock(Bench.KIB16), Bench.KIB16, aad);
    }

    @Benchmark
    @OperationsPerInvocation(Bench.MIB)
    public byte[] seal1m(CorpusState corpus) {
        return cipher.seal(corpus.data, corpus.nextBlock(Bench.MIB), Bench.MIB, aad);
    }
}
