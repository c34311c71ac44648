package dev.strata.sync.net;

import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.trust.PinnedTrustManager;
import dev.strata.sync.trust.RefusalListener;
import dev.strata.sync.trust.TlsContext;
import dev.strata.sync.wire.Hello;
import dev.strata.sync.wire.WireLimits;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection between two devices, through TLS and both hellos at both ends and registered at
 * neither: a test registers each end with its device's {@link ConnectionManager} when it chooses, and so
 * plays out a dialling tie in any order.
 *
 * @param dialled  the end of the device that dialled (outbound)
 * @param accepted the end of the device that was dialled (inbound)
 */
public record TestLink(PeerConnection dialled, PeerConnection accepted) {
    /** Dials from {@code from} to {@code to} on a loopback socket of its own; each trusts the other; both ends wait as {@code timings} say. */
    public static TestLink between(DeviceIdentity from, DeviceIdentity to, Timings timings) throws IOException, InterruptedException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<PeerConnection> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket raw = server.accept();
                    return handshake(to, from, timings).accept(raw);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            PeerConnection dialled = handshake(from, to, timings)
                    .dial(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), to.id());
            try {
                return new TestLink(dialled, accepted.get(timings.handshake().toMillis() * 2, TimeUnit.MILLISECONDS));
            } catch (ExecutionException | TimeoutException e) {
                dialled.close("the other end did not complete");
                throw new IOException("accepting the test link failed", e);
            }
        }
    }

    private static Handshake handshake(DeviceIdentity self, DeviceIdentity other, Timings timings) {
        RefusalListener refusals = (id, remote, why) -> { };
        Set<dev.strata.sync.identity.DeviceId> trusted = Set.of(other.id());
        return new Handshake(new TlsContext(self, new PinnedTrustManager(() -> trusted, refusals)),
                new Hello(WireLimits.MIN_VERSION, WireLimits.MAX_VERSION, self.id(), "test"), timings, Clock.systemUTC(),
                () -> trusted, refusals);
    }
}
