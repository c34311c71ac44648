package dev.strata.core.testing;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.local.LocalBackend;
import dev.strata.core.chunk.ChunkerParams;
import dev.strata.core.crypto.KdfParams;
import dev.strata.core.repo.HostIdentity;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.OpenOptions;
import dev.strata.core.repo.Repository;
import dev.strata.core.repo.RepositoryConfig;
import dev.strata.core.repo.RepositoryOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Repositories for tests, made in a temporary folder in milliseconds: Argon2id at its cheapest and,
 * on request, small chunks and small packs so that a few MiB of data make many packs.
 *
 * <pre>{@code
 * TestRepositories.Fixture repo = TestRepositories.local(tempDir).small().init();
 * try (Repository r = repo.open()) { ... }
 * }</pre>
 */
public final class TestRepositories {
    public static final String PASSWORD = "correct horse battery staple";
    /** Argon2id with 64 KiB and one pass: fast, and only for tests. */
    public static final KdfParams CHEAP_KDF = new KdfParams(64, 1, 1);
    /** 16 KiB / 64 KiB / 256 KiB chunks. */
    public static final ChunkerParams SMALL_CHUNKS = new ChunkerParams(16 << 10, 64 << 10, 256 << 10);
    /** The smallest pack sizes a repository accepts. */
    public static final long SMALL_DATA_PACK = 1 << 20;
    public static final long SMALL_TREE_PACK = 64 << 10;
    public static final Instant FIXED_INSTANT = Instant.parse("2026-11-26T10:20:30.123456789Z");

    private TestRepositories() {
    }

    /** A repository in {@code dir}/repo on a {@link LocalBackend}, with its cache in {@code dir}/cache. */
    public static Fixture local(Path dir) {
        return new Fixture(new LocalBackend(dir.resolve("repo")), dir.resolve("cache"));
    }

    /** A repository on {@code backend}, with its cache in {@code cacheRoot}. */
    public static Fixture on(Backend backend, Path cacheRoot) {
        return new Fixture(backend, cacheRoot);
    }

    /** The default settings with a cheap KDF. */
    public static RepositoryOptions options() {
        return RepositoryOptions.defaults().withKdf(CHEAP_KDF);
    }

    /** A cheap KDF, small chunks and the smallest packs. */
    public static RepositoryOptions smallOptions() {
        return options().withChunker(SMALL_CHUNKS).withPackSizes(SMALL_DATA_PACK, SMALL_TREE_PACK);
    }

    public static Clock fixedClock() {
        return Clock.fixed(FIXED_INSTANT, ZoneOffset.UTC);
    }

    /** One test repository: where it is and how it is made and opened. Confined to one thread. */
    public static final class Fixture {
        private final Backend backend;
        private final Path cacheRoot;
        private RepositoryOptions options = TestRepositories.options();
        private Clock clock = Clock.systemUTC();
        private HostIdentity host = HostIdentity.current();
        private String password = PASSWORD;
        private int workers;
        private RepositoryConfig config;

        private Fixture(Backend backend, Path cacheRoot) {
            this.backend = backend;
            this.cacheRoot = cacheRoot;
        }

        /** Small chunks and small packs ({@link #smallOptions()}). */
        public Fixture small() {
            return options(smallOptions());
        }

        public Fixture options(RepositoryOptions o) {
            this.options = o;
            return this;
        }

        public Fixture clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** A clock stopped at {@link #FIXED_INSTANT}. */
        public Fixture fixedClock() {
            return clock(TestRepositories.fixedClock());
        }

        public Fixture host(HostIdentity h) {
            this.host = h;
            return this;
        }

        public Fixture password(String p) {
            this.password = p;
            return this;
        }

        /** Put-pipeline threads of opened repositories; 0 (the default) for one per core. */
        public Fixture workers(int n) {
            this.workers = n;
            return this;
        }

        /** Creates the repository. */
        public Fixture init() throws IOException {
            config = Repository.init(backend, password.toCharArray(), options, clock, host);
            return this;
        }

        /** Opens with the fixture's password and a write lock. */
        public Repository open() throws IOException {
            return open(LockMode.WRITE);
        }

        /** Opens with the fixture's password; {@code mode} null takes no lock. */
        public Repository open(LockMode mode) throws IOException {
            return open(password, mode);
        }

        public Repository open(String pass, LockMode mode) throws IOException {
            return Repository.open(backend, pass.toCharArray(), openOptions(mode), clock, host);
        }

        /** Options with the fixture's cache folder, a cheap KDF for new key files and its worker count. */
        public OpenOptions openOptions(LockMode mode) {
            return OpenOptions.of(cacheRoot, mode).withKdf(CHEAP_KDF).withWorkers(workers);
        }

        public Backend backend() {
            return backend;
        }

        public Path cacheRoot() {
            return cacheRoot;
        }

        /** The config {@link #init()} wrote. */
        public RepositoryConfig config() {
            if (config == null) {
                throw new IllegalStateException("init() first");
            }
            return config;
        }

        /** The LMDB folder of this repository's index. */
        public Path indexFolder() {
            return cacheRoot.resolve(config().idHex()).resolve("index");
        }

        public String password() {
            return password;
        }

        public Clock clock() {
            return clock;
        }

        public HostIdentity host() {
            return host;
        }
    }
}
