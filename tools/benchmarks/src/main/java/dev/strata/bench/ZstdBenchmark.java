package dev.strata.bench;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.strata.core.compress.Compressed;
import dev.strata.core.compress.ZstdCompressor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * zstd compression of 1 MiB blocks of the corpus: through Strata's {@link ZstdCompressor} (with its
 * incompressibility probe, as the store uses it) and through a bare zstd-jni context (what
 * {@code zstd -b} measures natively). One thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {Bench.ADD_OPENS_NIO, Bench.ADD_OPENS_NIO_CH, Bench.HEAP})
public class ZstdBenchmark {
    @Param({"1", "3"})
    public int level;

    private ZstdCompressor compressor;
    private ZstdCompressCtx context;
    private byte[] out;

    @Setup
    public void setUp() {
        compressor = new ZstdCompressor(level);
        context = new ZstdCompressCtx().setLevel(level);
        out = new byte[(int) Zstd.compressBound(Bench.MIB)];
    }

    @TearDown
    public void tearDown() {
        context.close();
    }

    @Benchmark
    @OperationsPerInvocation(Bench.MIB)
    public Compressed zstdCompressor(CorpusState corpus) {
        return compressor.compress(corpus.data, corpus.nextBlock(Bench.MIB), Bench.MIB);
    }

    @Benchmark
    @OperationsPerInvocation(Bench.MIB)
    public int zstdJniContext(CorpusState corpus) {
        return context.compressByteArray(out, 0, out.length, corpus.data, corpus.nextBlock(Bench.MIB), Bench.MIB);
    }
}
