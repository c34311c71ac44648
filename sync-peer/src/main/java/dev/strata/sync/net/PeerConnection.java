package dev.strata.sync.net;

import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.wire.Frame;
import dev.strata.sync.wire.FrameException;
import dev.strata.sync.wire.FrameReader;
import dev.strata.sync.wire.FrameWriter;
import dev.strata.sync.wire.Goodbye;
import dev.strata.sync.wire.MessageType;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One authenticated connection to a peer, after TLS and both hellos: sends frames, reads them on a
 * thread of its own (pings keep it alive, a goodbye ends it, answers go to the request that waits for
 * them, everything else to the {@link RequestHandler}), and ends with a reason that the status shows.
 * Thread-safe.
 */
public final class PeerConnection {
    public enum Direction { INBOUND, OUTBOUND }

    private static final long GOODBYE_WAIT_MILLIS = 1000;
    /** How long a connection that said goodbye waits for the peer to close its side. */
    private static final long LINGER_MILLIS = 2000;
    /**
     * Why a connection ends when another connection between the same two devices takes its place (the
     * tie rule, docs/sync.md "One connection per pair"). A goodbye with exactly this reason tells the
     * other side the same, so both know that what was asked on it can be asked again on the one that stays.
     */
    public static final String SUPERSEDED = "a connection between these devices exists already";
    /** Put in a request's mailbox when the connection ends, so that its waiter wakes at once. */
    private static final Frame CLOSED = new Frame(MessageType.GOODBYE, new byte[0]);

    private final Socket raw;
    private final DeviceId peer;
    private final String peerName;
    private final int version;
    private final Direction direction;
    private final String remote;
    private final Instant since;
    private final Duration idle;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final AtomicInteger nextRequest = new AtomicInteger();
    private final ConcurrentHashMap<Integer, BlockingQueue<Frame>> waiting = new ConcurrentHashMap<>();
    private volatile String endReason;
    /** Written before {@link #endReason}, so whoever sees the connection ended sees this too. */
    private volatile boolean superseded;
    private volatile boolean goodbyeSent;
    private volatile Thread readerThread;

    PeerConnection(Socket raw, FrameReader reader, FrameWriter writer, DeviceId peer, String peerName, int version,
                   Direction direction, String remote, Instant since, Duration idle) {
        this.raw = raw;
        this.reader = reader;
        this.writer = writer;
        this.peer = peer;
        this.peerName = peerName;
        this.version = version;
        this.direction = direction;
        this.remote = remote;
        this.since = since;
        this.idle = idle;
    }

    public DeviceId peer() {
        return peer;
    }

    /** What the peer calls itself (its host name), for people. */
    public String peerName() {
        return peerName;
    }

    public int version() {
        return version;
    }

    public Direction direction() {
        return direction;
    }

    /** The peer's address as this connection sees it. */
    public String remote() {
        return remote;
    }

    public Instant since() {
        return since;
    }

    public boolean isOpen() {
        return endReason == null;
    }

    /**
     * Whether the connection ended because another one between the same devices took its place, decided
     * here or at the peer (its goodbye said {@link #SUPERSEDED}); false while it is open.
     */
    public boolean superseded() {
        return endReason != null && superseded;
    }

    /** Why the connection ended, or null while it is open. */
    public String endReason() {
        return endReason;
    }

    /** Bytes of the frames sent on this connection so far (what TLS carried, less its record overhead). */
    public long bytesSent() {
        return writer.bytesWritten();
    }

    /** Bytes of the frames received on this connection so far. */
    public long bytesReceived() {
        return reader.bytesRead();
    }

    /** Starts reading: frames go to {@code handler}; {@code ended} hears once when the connection is over. */
    void start(RequestHandler handler, Consumer<PeerConnection> ended) {
        readerThread = new Thread(() -> readLoop(handler, ended), "strata-sync-read-" + peer.shortString());
        readerThread.setDaemon(true);
        readerThread.start();
    }

    public void send(Frame frame) throws IOException {
        checkOpen();
        writer.write(frame);
    }

    /** Sends a frame whose payload is {@code head} then {@code tail}, without copying {@code tail}. */
    public void send(MessageType type, byte[] head, byte[] tail) throws IOException {
        checkOpen();
        writer.write(type, head, tail);
    }

    private void checkOpen() throws IOException {
        String why = endReason;
        if (why != null) {
            throw new IOException("the connection to " + peer.shortString() + " is closed: " + why);
        }
    }

    /** A new request of this side: the number its messages carry, and a mailbox for the answers to it. */
    public Request request() {
        int id = nextRequest.incrementAndGet();
        BlockingQueue<Frame> box = new LinkedBlockingQueue<>();
        waiting.put(id, box);
        if (!isOpen()) {
            box.add(CLOSED);
        }
        return new Request(id, box);
    }

    /** Answers to one request of this side. Confined to the thread that made the request. */
    public final class Request implements AutoCloseable {
        private final int id;
        private final BlockingQueue<Frame> box;

        private Request(int id, BlockingQueue<Frame> box) {
            this.id = id;
            this.box = box;
        }

        public int id() {
            return id;
        }

        /** The next answer; fails if none comes within {@code timeout} or the connection ends first. */
        public Frame await(Duration timeout) throws IOException {
            Frame f;
            try {
                f = box.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted waiting for " + peer.shortString());
            }
            if (f == null) {
                throw new SocketTimeoutException("no answer from " + peer.shortString() + " within " + timeout.toSeconds() + " s");
            }
            if (f == CLOSED) {
                box.add(CLOSED);
                throw new IOException("the connection to " + peer.shortString() + " ended: " + endReason);
            }
            return f;
        }

        @Override
        public void close() {
            waiting.remove(id);
        }
    }

    /** Sends a ping if nothing was written for {@code quiet}: what tells the peer this side is alive. */
    void pingIfQuiet(Duration quiet) {
        if (isOpen() && System.nanoTime() - writer.lastWriteNanos() >= quiet.toNanos()) {
            try {
                writer.tryWrite(new Frame(MessageType.PING, new byte[0]), 0);
            } catch (IOException e) {
                end("sending failed: " + e.getMessage(), false);
            }
        }
    }

    /** How long the write in progress has been stuck (the peer not reading), or zero. */
    Duration writeStuckFor() {
        long since = writer.writingSinceNanos();
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** Ends the connection on purpose, telling the peer why if it can within a second. */
    public void close(String reason) {
        end(reason, true);
    }

    /** Ends the connection because another one between the same devices takes its place, telling the peer so. */
    void supersede() {
        end(SUPERSEDED, true, true);
    }

    /** Ends the connection without a goodbye (the peer stopped reading, so one could not be sent). */
    void abort(String reason) {
        end(reason, false);
    }

    private void end(String reason, boolean sayGoodbye) {
        end(reason, sayGoodbye, false);
    }

    private void end(String reason, boolean sayGoodbye, boolean replaced) {
        synchronized (this) {
            if (endReason != null) {
                return;
            }
            superseded = replaced;
            endReason = reason;
        }
        waiting.values().forEach(box -> box.add(CLOSED));
        boolean said = false;
        if (sayGoodbye) {
            try {
                said = writer.tryWrite(new Goodbye(reason).encode(), GOODBYE_WAIT_MILLIS);
                // A FIN after the goodbye, not a close: closing with unread bytes in the receive buffer
                // sends a reset, which can destroy the goodbye before the peer reads it. The reader drains
                // until the peer closes too, or a moment passes.
                raw.shutdownOutput();
            } catch (IOException e) {
                said = false;
            }
        }
        goodbyeSent = said;
        if (said) {
            lingerThenClose();
        } else {
            hardClose();
        }
    }

    private void lingerThenClose() {
        CompletableFuture.delayedExecutor(LINGER_MILLIS, TimeUnit.MILLISECONDS).execute(this::hardClose);
    }

    /** Closes the plain socket: a reader or writer blocked in the TLS layer wakes at once. */
    private void hardClose() {
        try {
            raw.close();
        } catch (IOException e) {
            // Nothing to do: the socket is unusable either way.
        }
    }

    private void readLoop(RequestHandler handler, Consumer<PeerConnection> ended) {
        try {
            for (Frame f = reader.read(); f != null; f = reader.read()) {
                if (!isOpen()) {
                    continue; // closing: only waiting for the peer to close its side
                }
                switch (f.type()) {
                    case PING -> { }
                    case GOODBYE -> {
                        String why = Goodbye.decode(f).reason();
                        end("the peer said goodbye: " + why, false, why.equals(SUPERSEDED));
                    }
                    case HELLO -> throw new FrameException("a second hello");
                    default -> {
                        if (f.type().isAnswer()) {
                            BlockingQueue<Frame> box = waiting.get(f.request());
                            if (box == null) {
                                throw new FrameException("an answer (" + f.type() + ") to a request this side did not make or gave up");
                            }
                            box.add(f);
                        } else {
                            handler.handle(this, f);
                        }
                    }
                }
            }
            end("the peer closed the connection", false);
        } catch (SocketTimeoutException e) {
            end("no word from the peer for " + idle.toSeconds() + " s", false);
        } catch (FrameException e) {
            close("malformed message: " + e.getMessage());
        } catch (IOException e) {
            end("the connection broke: " + e.getMessage(), false);
        } catch (RuntimeException e) {
            close("internal error: " + e);
        } finally {
            if (goodbyeSent) {
                lingerThenClose();
            } else {
                hardClose();
            }
            handler.closed(this);
            ended.accept(this);
        }
    }

    @Override
    public String toString() {
        return peer.shortString() + " (" + direction.name().toLowerCase(java.util.Locale.ROOT) + ", " + remote + ")";
    }
}
