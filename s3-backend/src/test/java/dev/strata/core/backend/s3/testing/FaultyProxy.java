package dev.strata.core.backend.s3.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 between an HTTP client and a server that breaks requests on purpose: it
 * resets connections, drops an upload halfway, loses or truncates the answer, answers 500 or 503
 * itself, or waits first. It reads each request's head to know where the request ends and asks its
 * {@link Plan} what to do; every connection carries one request ({@code Connection: close} is added),
 * so each request meets its own fault. Stopped by {@link #close()}. Thread-safe.
 */
public final class FaultyProxy implements AutoCloseable {

    /** What happens to one request. */
    public enum Fault {
        /** Passed through untouched. */
        NONE,
        /** The connection is reset as soon as the request head has arrived; the server sees nothing. */
        RESET,
        /** Half the request body reaches the server, then both connections are cut. */
        DROP_UPLOAD,
        /** The server gets the whole request and answers, but the client gets no answer (connection cut). */
        LOSE_RESPONSE,
        /** The answer's head and half its body reach the client, then the connection is cut. */
        TRUNCATE_RESPONSE,
        /** The proxy answers 500 InternalError without asking the server. */
        STATUS_500,
        /** The proxy answers 503 SlowDown (throttling) without asking the server. */
        STATUS_503,
        /** Passed through after a pause of {@link FaultyProxy#delayMillis}. */
        DELAY
    }

    /** A request as the proxy sees it: its number (from 0), method, target and body length. */
    public record Request(int sequence, String method, String target, long contentLength) {
    }

    /** Decides the fault of each request; called from connection threads. */
    public interface Plan {
        Fault faultFor(Request request);
    }

    private final ServerSocket server;
    private final int targetPort;
    private volatile Plan plan;
    private final long delayMillis;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<Fault, AtomicInteger> counts = new EnumMap<>(Fault.class);
    private final List<String> log = new ArrayList<>();
    private volatile boolean closed;

    private FaultyProxy(ServerSocket server, int targetPort, Plan plan, long delayMillis) {
        this.server = server;
        this.targetPort = targetPort;
        this.plan = plan;
        this.delayMillis = delayMillis;
        for (Fault f : Fault.values()) {
            counts.put(f, new AtomicInteger());
        }
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faulty-proxy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::acceptLoop);
    }

    /** Starts a proxy in front of 127.0.0.1:{@code targetPort}; {@code delayMillis} is the pause of {@link Fault#DELAY}. */
    public static FaultyProxy start(int targetPort, Plan plan, long delayMillis) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new FaultyProxy(s, targetPort, plan, delayMillis);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public void setPlan(Plan newPlan) {
        this.plan = newPlan;
    }

    /** How many requests met {@code fault} so far. */
    public int count(Fault fault) {
        return counts.get(fault).get();
    }

    public int requests() {
        return sequence.get();
    }

    /** "METHOD target -> FAULT" per request, in arrival order. */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    e.printStackTrace();
                }
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try {
            client.setSoTimeout(120_000);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            long length = 0;
            boolean expectContinue = false;
            StringBuilder forwarded = new StringBuilder(lines[0]).append("\r\n");
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                } else if (lower.startsWith("expect:") && lower.contains("100-continue")) {
                    expectContinue = true;
                } else if (lower.startsWith("connection:")) {
                    continue;
                }
                forwarded.append(line).append("\r\n");
            }
            forwarded.append("Connection: close\r\n\r\n");
            Request request = new Request(sequence.getAndIncrement(), requestLine[0], requestLine[1], length);
            Fault fault = plan.faultFor(request);
            counts.get(fault).incrementAndGet();
            synchronized (this) {
                log.add(request.method() + " " + request.target() + " -> " + fault);
            }
            switch (fault) {
                case RESET:
                    client.setSoLinger(true, 0);
                    return;
                case STATUS_500:
                case STATUS_503:
                    if (!expectContinue) {
                        in.skipNBytes(length);
                    }
                    answer(out, fault == Fault.STATUS_500 ? 500 : 503);
                    return;
                case DELAY:
                    Thread.sleep(delayMillis);
                    break;
                default:
                    break;
            }
            upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            open.add(upstream);
            upstream.setSoTimeout(120_000);
            upstream.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
            Socket up = upstream;
            var answer = threads.submit(() -> {
                relayAnswer(up.getInputStream(), out, fault);
                return null;
            });
            long send = fault == Fault.DROP_UPLOAD ? length / 2 : length;
            copy(in, upstream.getOutputStream(), send);
            if (fault == Fault.DROP_UPLOAD) {
                upstream.setSoLinger(true, 0);
                client.setSoLinger(true, 0);
                return;
            }
            answer.get();
        } catch (Exception e) {
            // A client or server that went away: the connection ends, as it would on a real network.
        } finally {
            closeQuietly(upstream);
            closeQuietly(client);
        }
    }

    /** Passes the server's answer on: 1xx heads whole, then the final answer as the fault allows. */
    private static void relayAnswer(InputStream fromServer, OutputStream toClient, Fault fault) throws IOException {
        InputStream in = new BufferedInputStream(fromServer);
        while (true) {
            String head = readHead(in);
            if (head == null) {
                return;
            }
            boolean interim = head.startsWith("HTTP/1.1 1") || head.startsWith("HTTP/1.0 1");
            if (interim) {
                toClient.write(head.getBytes(StandardCharsets.ISO_8859_1));
                toClient.flush();
                continue;
            }
            if (fault == Fault.LOSE_RESPONSE) {
                return;
            }
            toClient.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (fault == Fault.TRUNCATE_RESPONSE) {
                long length = contentLength(head);
                copy(in, toClient, length > 0 ? length / 2 : 0);
                toClient.flush();
                return;
            }
            in.transferTo(toClient);
            toClient.flush();
            return;
        }
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return -1;
    }

    private static void answer(OutputStream out, int status) throws IOException {
        String code = status == 503 ? "SlowDown" : "InternalError";
        String reason = status == 503 ? "Slow Down" : "Internal Server Error";
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
                + "</Code><Message>injected by the test proxy</Message><RequestId>0</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** The bytes up to and including the blank line that ends a head, or null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                break;
            }
            out.write(buf, 0, r);
            left -= r;
        }
        out.flush();
    }

    private void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : List.copyOf(open)) {
            closeQuietly(s);
        }
        threads.shutdownNow();
    }
}
