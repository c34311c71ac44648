package dev.strata.bench;

import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.crypto.KdfParams;
import dev.strata.core.repo.HostIdentity;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.OpenOptions;
import dev.strata.core.repo.Repository;
import dev.strata.core.repo.RepositoryOptions;
import dev.strata.core.store.ChunkRef;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole put pipeline: the corpus streamed into a new, real repository on local disk (default
 * settings: 1 MiB average chunks, zstd level 3, 32 MiB packs) and flushed, so packs are fsynced,
 * stored and indexed in LMDB inside the timed part. {@code threads} is the store's worker count; the
 * reading and chunking thread and the pack storer come on top, as in a backup. Each invocation gets a
 * fresh repository (made outside the timed part) so nothing deduplicates against an earlier run.
 *
 * <p>Repositories are made under {@code STRATA_BENCH_TMP}, else the JVM's temporary folder.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 4)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = {Bench.ADD_OPENS_NIO, Bench.ADD_OPENS_NIO_CH, Bench.HEAP})
public class PutPipelineBenchmark {
    private static final char[] PASSWORD = "benchmark".toCharArray();
    /** Argon2id at its cheapest: key derivation is not what is measured. */
    private static final KdfParams CHEAP_KDF = new KdfParams(64, 1, 1);

    @Param({"1", "2"})
    public int threads;

    private Path dir;
    private Repository repository;

    @Setup(Level.Invocation)
    public void newRepository() throws IOException {
        String base = System.getenv("STRATA_BENCH_TMP");
        Path parent = Path.of(base != null && !base.isEmpty() ? base : System.getProperty("java.io.tmpdir"));
        Files.createDirectories(parent);
        dir = Files.createTempDirectory(parent, "strata-bench-repo");
        LocalBackend backend = new LocalBackend(dir.resolve("repo"));
        Clock clock = Clock.systemUTC();
        HostIdentity me = HostIdentity.current();
        Repository.init(backend, PASSWORD, RepositoryOptions.defaults().withKdf(CHEAP_KDF), clock, me);
        OpenOptions open = OpenOptions.of(dir.resolve("cache"), LockMode.WRITE).withKdf(CHEAP_KDF).withWorkers(threads);
        repository = Repository.open(backend, PASSWORD, open, clock, me);
    }

    @Benchmark
    @OperationsPerInvocation(Corpus.BYTES)
    public int putCorpus(CorpusState corpus) throws IOException {
        List<ChunkRef> refs = repository.store().putStream(new ByteArrayChannel(corpus.data));
        repository.store().flush();
        return refs.size();
    }

    @TearDown(Level.Invocation)
    public void deleteRepository() throws IOException {
        repository.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
