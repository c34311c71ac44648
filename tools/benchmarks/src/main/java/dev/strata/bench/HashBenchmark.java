package dev.strata.bench;

import dev.strata.core.crypto.ChunkIdHasher;
import dev.strata.core.id.ChunkId;
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

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;

/** SHA-256 on 1 MiB blocks of the corpus: the JDK's plain digest and Strata's keyed chunk ids (HMAC-SHA-256). One thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {Bench.ADD_OPENS_NIO, Bench.ADD_OPENS_NIO_CH, Bench.HEAP})
public class HashBenchmark {
    private MessageDigest sha256;
    private ChunkIdHasher hasher;

    @Setup
    public void setUp() throws NoSuchAlgorithmException {
        sha256 = MessageDigest.getInstance("SHA-256");
        hasher = BenchKeys.masterKey().chunkIdHasher();
    }

    @Benchmark
    @OperationsPerInvocation(Bench.MIB)
    public byte[] jdkSha256(CorpusState corpus) {
        sha256.update(corpus.data, corpus.nextBlock(Bench.MIB), Bench.MIB);
        return sha256.digest();
    }

    @Benchmark
    @OperationsPerInvocation(Bench.MIB)
    public ChunkId chunkIdHasher(CorpusState corpus) {
        return hasher.hash(corpus.data, corpus.nextBlock(Bench.MIB), Bench.MIB);
    }
}
