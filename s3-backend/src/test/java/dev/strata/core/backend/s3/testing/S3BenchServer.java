package dev.strata.core.backend.s3.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An S3 server for benchmarks, run as a process of its own: S3Proxy on loopback (in memory) behind a
 * proxy that counts what clients send, so that two tools can be measured against the same server in
 * one run. Prints the endpoint (the counting proxy) on its first line, then answers lines on standard
 * input: {@code reset} zeroes the counters, {@code report} prints
 * {@code requests=N gets=N puts=N bytesUp=N} (PUT and POST bodies), {@code detail FILE} writes the
 * requests since the last reset to FILE counted by method and kind of key ({@link RequestKinds}),
 * {@code quit} stops. Thread-safe.
 *
 * <pre>{@code
 * java -cp … dev.strata.core.backend.s3.testing.S3BenchServer BUCKET…
 * }</pre>
 * Clients use the keys {@link S3TestServer#ACCESS_KEY} and {@link S3TestServer#SECRET_KEY}.
 */
public final class S3BenchServer {
    private S3BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        AtomicLong requests = new AtomicLong();
        AtomicLong gets = new AtomicLong();
        AtomicLong puts = new AtomicLong();
        AtomicLong bytesUp = new AtomicLong();
        RequestKinds kinds = new RequestKinds();
        try (S3TestServer server = S3TestServer.start();
             FaultyProxy meter = FaultyProxy.start(server.port(), r -> {
                 requests.incrementAndGet();
                 kinds.add(r.method(), r.target());
                 if (r.method().equals("GET") || r.method().equals("HEAD")) {
                     gets.incrementAndGet();
                 } else if (r.method().equals("PUT") || r.method().equals("POST")) {
                     puts.incrementAndGet();
                     bytesUp.addAndGet(Math.max(0, r.contentLength()));
                 }
                 return FaultyProxy.Fault.NONE;
             }, 0)) {
            for (String bucket : args) {
                server.createBucket(bucket);
            }
            System.out.println(meter.endpoint());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                if (line.equals("reset")) {
                    requests.set(0);
                    gets.set(0);
                    puts.set(0);
                    bytesUp.set(0);
                    kinds.reset();
                } else if (line.equals("report")) {
                    System.out.printf("requests=%d gets=%d puts=%d bytesUp=%d%n", requests.get(), gets.get(), puts.get(),
                            bytesUp.get());
                    System.out.flush();
                } else if (line.startsWith("detail ")) {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(line.substring("detail ".length())), kinds.table());
                }
            }
        }
    }
}
