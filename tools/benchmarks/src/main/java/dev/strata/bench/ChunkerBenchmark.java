package dev.strata.bench;

import dev.strata.core.chunk.ChunkReader;
import dev.strata.core.chunk.ChunkerParams;
import dev.strata.core.chunk.FastCdcChunker;
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

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * FastCDC with the repository defaults (512 KiB / 1 MiB / 8 MiB) over the whole corpus: the bare
 * cut-point search, and the same through {@link ChunkReader} (which copies each chunk out, as the put
 * pipeline's reading thread does). One thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {Bench.ADD_OPENS_NIO, Bench.ADD_OPENS_NIO_CH, Bench.HEAP})
public class ChunkerBenchmark {
    private FastCdcChunker chunker;

    @Setup
    public void setUp() {
        chunker = new FastCdcChunker(ChunkerParams.DEFAULT, BenchKeys.masterKey().gearTable());
    }

    @Benchmark
    @OperationsPerInvocation(Corpus.BYTES)
    public int fastCdcCut(CorpusState corpus) {
        byte[] data = corpus.data;
        int chunks = 0;
        int offset = 0;
        while (offset < data.length) {
            offset += chunker.cut(data, offset, data.length - offset);
            chunks++;
        }
        return chunks;
    }

    @Benchmark
    @OperationsPerInvocation(Corpus.BYTES)
    public long chunkReader(CorpusState corpus) throws IOException {
        ChunkReader reader = new ChunkReader(chunker, new ByteArrayChannel(corpus.data));
        long sum = 0;
        byte[] chunk;
        while ((chunk = reader.next()) != null) {
            sum += chunk.length;
        }
        return sum;
    }
}
