package dev.strata.sync.chunks;

import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.net.TestDevice;
import dev.strata.sync.wire.WireLimits;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A sender and a receiver of chunks that added each other and are connected over loopback. */
record ConnectedPair(TestDevice sender, TestDevice receiver) implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);

    static ConnectedPair start(ChunkSpaces atReceiver) throws Exception {
        return start(atReceiver, WireLimits.MAX_VERSION, WireLimits.MAX_VERSION);
    }

    /** A pair whose sender and receiver speak protocol versions up to the ones given (an older build's). */
    static ConnectedPair start(ChunkSpaces atReceiver, int senderVersion, int receiverVersion) throws Exception {
        TestDevice sender = new TestDevice("sender").start(0, c -> (conn, f) -> { }, senderVersion);
        TestDevice receiver = new TestDevice("receiver");
        receiver.start(0, c -> new ChunkReceiver(atReceiver, receiver.log), receiverVersion);
        receiver.add(sender);
        sender.add(receiver);
        assertThat(sender.awaitConnected(receiver, WAIT)).as(sender.log()).isTrue();
        Thread.sleep(500); // both dialled: let the duplicate go first
        return new ConnectedPair(sender, receiver);
    }

    /**
     * The sender's open connection to the receiver, waited for: on a loaded machine the duplicate of the
     * dialling tie may go after {@link #start}'s pause, leaving a moment with no connection registered.
     */
    PeerConnection connection() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            java.util.Optional<PeerConnection> c = sender.network.connections().connection(receiver.id());
            if (c.isPresent() && c.get().isOpen()) {
                return c.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no open connection to the receiver within " + WAIT + ":\n" + sender.log());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the connection", e);
            }
        }
    }

    @Override
    public void close() {
        sender.close();
        receiver.close();
    }
}
