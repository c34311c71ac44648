package dev.strata.sync.peer;

import dev.strata.core.error.UserFacingException;
import dev.strata.sync.identity.DeviceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerBookTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void add_list_readd_remove() throws Exception {
        PeerBook book = new PeerBook(dir, Clock.fixed(T0, ZoneOffset.UTC));
        DeviceId a = id(1);
        DeviceId b = id(2);
        assertThat(book.list()).isEmpty();
        assertThat(book.add(a, PeerAddress.parse("laptop.local:22400"))).isEmpty();
        PeerBook later = new PeerBook(dir, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
        later.add(b, PeerAddress.parse("[::1]:9000"));
        assertThat(later.list()).extracting(Peer::id).containsExactly(a, b);

        // Adding again moves the peer and keeps when it was first added.
        assertThat(later.add(a, PeerAddress.parse("10.0.0.7:22400"))).map(Peer::address)
                .contains(PeerAddress.parse("laptop.local:22400"));
        Peer moved = book.find(a).orElseThrow();
        assertThat(moved.address()).isEqualTo(new PeerAddress("10.0.0.7", 22400));
        assertThat(moved.added()).isEqualTo(T0);
        assertThat(book.list()).hasSize(2);

        assertThat(book.remove(a)).isTrue();
        assertThat(book.remove(a)).isFalse();
        assertThat(book.list()).extracting(Peer::id).containsExactly(b);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(book.file()))).isEqualTo("rw-------");
    }

    @Test
    void concurrentAdds_allStay() throws Exception {
        PeerBook book = new PeerBook(dir, Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                done.add(pool.submit(() -> book.add(id(n), new PeerAddress("host" + n, 1000 + n))));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(book.list()).hasSize(20);
    }

    @Test
    void damagedFile_isReportedWithItsPath() throws Exception {
        PeerBook book = new PeerBook(dir, Clock.systemUTC());
        book.add(id(1), new PeerAddress("a", 1));
        Files.writeString(book.file(), Files.readString(book.file()).replace("\"address\"", "\"addr\""));
        assertThatThrownBy(book::list).isInstanceOf(UserFacingException.class).hasMessageContaining(book.file().toString())
                .hasMessageContaining("damaged");
    }

    @Test
    void address_parsesHostsPortsAndIpv6_andSaysWhatIsWrong() {
        assertThat(PeerAddress.parse("127.0.0.1:22400")).isEqualTo(new PeerAddress("127.0.0.1", 22400));
        assertThat(PeerAddress.parse("[fe80::1]:80")).isEqualTo(new PeerAddress("fe80::1", 80));
        assertThat(new PeerAddress("fe80::1", 80).toString()).isEqualTo("[fe80::1]:80");
        assertThatThrownBy(() -> PeerAddress.parse("host")).hasMessageContaining("not HOST:PORT");
        assertThatThrownBy(() -> PeerAddress.parse("fe80::1:80")).hasMessageContaining("not HOST:PORT");
        assertThatThrownBy(() -> PeerAddress.parse("host:http")).hasMessageContaining("not a TCP port");
        assertThatThrownBy(() -> PeerAddress.parse("host:70000")).hasMessageContaining("not a TCP port: 70000");
    }

    static DeviceId id(int seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return DeviceId.of(b);
    }
}
