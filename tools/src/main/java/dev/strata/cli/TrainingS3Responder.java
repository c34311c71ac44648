package dev.strata.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stand-in S3 server for {@link ClassArchiveTraining} alone, so that the class archive holds the S3
 * client's classes: one bucket held in memory, on 127.0.0.1 only and a port the system picks, answering
 * exactly the requests Strata's S3 backend makes for init, backup, snapshots and restore (a one-page or
 * paged ListObjectsV2, and PUT, GET with or without one byte range, HEAD and DELETE of an object). Every
 * other request (multipart uploads, other listings, other buckets, other hosts' connections) is refused
 * with S3's error for it, and a body whose Content-MD5 or aws-chunked framing does not match is refused
 * too. It checks no signatures and keeps at most {@link #MAX_BYTES}: it is no S3 server for anything but
 * that training. Thread-safe.
 */
final class TrainingS3Responder implements AutoCloseable {
    /** All objects together: the training stores a few MB. */
    static final long MAX_BYTES = 64L << 20;
    private static final InetAddress LOOPBACK = loopback();
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Set<String> LIST_PARAMETERS = Set.of("list-type", "prefix", "max-keys", "continuation-token",
            "start-after", "encoding-type", "x-id");

    private final String bucket;
    private final NavigableMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();
    /** Bytes of all objects together; guarded by {@code objects}. */
    private long stored;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private record StoredObject(byte[] data, String etag, Instant modified) {
    }

    /** Thrown by a handler to answer with an S3 error. */
    private static final class Refusal extends Exception {
        private final int status;
        private final String code;

        Refusal(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private TrainingS3Responder(String bucket, HttpServer server, ExecutorService handlers) {
        this.bucket = bucket;
        this.server = server;
        this.handlers = handlers;
    }

    /** Starts a responder for {@code bucket} on 127.0.0.1 and a free port. */
    static TrainingS3Responder start(String bucket) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 16);
        ExecutorService handlers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "strata-training-s3");
            t.setDaemon(true);
            return t;
        });
        TrainingS3Responder responder = new TrainingS3Responder(bucket, server, handlers);
        server.createContext("/", responder::handle);
        server.setExecutor(handlers);
        server.start();
        return responder;
    }

    /** The endpoint to put after "s3:", with the bucket: {@code http://127.0.0.1:PORT/BUCKET}. */
    String repositoryUrl() {
        return "http://" + LOOPBACK.getHostAddress() + ":" + server.getAddress().getPort() + "/" + bucket;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening and drops the connections open; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            handlers.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
                    throw new Refusal(403, "AccessDenied", "only loopback connections are answered");
                }
                route(exchange);
            } catch (Refusal r) {
                drain(exchange.getRequestBody());
                sendError(exchange, r);
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException, Refusal {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String[] bucketAndKey = path.length() > 1 ? path.substring(1).split("/", 2) : new String[] {""};
        if (!bucketAndKey[0].equals(bucket)) {
            throw new Refusal(404, "NoSuchBucket", "the only bucket here is " + bucket);
        }
        String key = bucketAndKey.length == 2 ? decode(bucketAndKey[1]) : "";
        if (key.isEmpty()) {
            if (method.equals("GET") && "2".equals(query.get("list-type")) && LIST_PARAMETERS.containsAll(query.keySet())
                    && operationIs(query, "ListObjectsV2")) {
                list(exchange, query);
                return;
            }
            throw notImplemented(method, path, query);
        }
        String operation = switch (method) {
            case "GET" -> "GetObject";
            case "HEAD" -> "HeadObject";
            case "PUT" -> "PutObject";
            case "DELETE" -> "DeleteObject";
            default -> throw notImplemented(method, path, query);
        };
        if (!query.keySet().stream().allMatch("x-id"::equals) || !operationIs(query, operation)) {
            throw notImplemented(method, path, query);
        }
        switch (method) {
            case "GET", "HEAD" -> get(exchange, key, method.equals("HEAD"));
            case "PUT" -> put(exchange, key);
            default -> delete(exchange, key);
        }
    }

    /** The SDK names the operation in an {@code x-id} parameter; absent is fine, another one is not. */
    private static boolean operationIs(Map<String, String> query, String operation) {
        String id = query.get("x-id");
        return id == null || id.equals(operation);
    }

    private static Refusal notImplemented(String method, String path, Map<String, String> query) {
        return new Refusal(501, "NotImplemented", method + " " + path + (query.isEmpty() ? "" : " with " + query.keySet())
                + " is not implemented by this training responder");
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException, Refusal {
        String prefix = query.getOrDefault("prefix", "");
        boolean urlEncoded = query.containsKey("encoding-type");
        if (urlEncoded && !"url".equals(query.get("encoding-type"))) {
            throw new Refusal(400, "InvalidArgument", "encoding-type must be url");
        }
        int maxKeys;
        try {
            maxKeys = Math.min(1000, Integer.parseInt(query.getOrDefault("max-keys", "1000")));
        } catch (NumberFormatException e) {
            throw new Refusal(400, "InvalidArgument", "max-keys must be a number");
        }
        if (maxKeys < 0) {
            throw new Refusal(400, "InvalidArgument", "max-keys must not be negative");
        }
        String token = query.get("continuation-token");
        String after = token != null ? tokenKey(token) : query.getOrDefault("start-after", "");
        StringBuilder contents = new StringBuilder();
        int count = 0;
        String last = null;
        boolean truncated = false;
        for (Map.Entry<String, StoredObject> e : objects.tailMap(after, false).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                if (e.getKey().compareTo(prefix) > 0) {
                    break;
                }
                continue;
            }
            if (count == maxKeys) {
                truncated = true;
                break;
            }
            StoredObject o = e.getValue();
            contents.append("<Contents><Key>").append(xml(urlEncoded ? encode(e.getKey()) : e.getKey()))
                    .append("</Key><LastModified>").append(DateTimeFormatter.ISO_INSTANT.format(o.modified()))
                    .append("</LastModified><ETag>").append(xml(o.etag())).append("</ETag><Size>").append(o.data().length)
                    .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
            last = e.getKey();
            count++;
        }
        StringBuilder body = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>").append(xml(bucket))
                .append("</Name><Prefix>").append(xml(urlEncoded ? encode(prefix) : prefix)).append("</Prefix><KeyCount>")
                .append(count).append("</KeyCount><MaxKeys>").append(maxKeys).append("</MaxKeys>");
        if (urlEncoded) {
            body.append("<EncodingType>url</EncodingType>");
        }
        if (token != null) {
            body.append("<ContinuationToken>").append(xml(token)).append("</ContinuationToken>");
        }
        body.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated) {
            body.append("<NextContinuationToken>").append(xml(tokenOf(last))).append("</NextContinuationToken>");
        }
        body.append(contents).append("</ListBucketResult>");
        send(exchange, 200, "application/xml", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void get(HttpExchange exchange, String key, boolean headOnly) throws IOException, Refusal {
        StoredObject o = objects.get(key);
        if (o == null) {
            throw new Refusal(404, "NoSuchKey", "no object " + key);
        }
        Headers h = exchange.getResponseHeaders();
        h.set("ETag", o.etag());
        h.set("Last-Modified", HTTP_DATE.format(o.modified()));
        h.set("Accept-Ranges", "bytes");
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (headOnly) {
            if (range != null) {
                throw new Refusal(501, "NotImplemented", "HEAD with a Range is not implemented by this training responder");
            }
            h.set("Content-Type", "application/octet-stream");
            h.set("Content-Length", Integer.toString(o.data().length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        if (range == null) {
            send(exchange, 200, "application/octet-stream", o.data());
            return;
        }
        long[] span = span(range, o.data().length);
        h.set("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + o.data().length);
        byte[] part = java.util.Arrays.copyOfRange(o.data(), (int) span[0], (int) span[1] + 1);
        send(exchange, 206, "application/octet-stream", part);
    }

    /** The first and last byte of a {@code bytes=FIRST-LAST} or {@code bytes=FIRST-} range of an object of {@code size} bytes. */
    private static long[] span(String range, int size) throws Refusal {
        if (!range.matches("bytes=\\d{1,18}-\\d{0,18}")) {
            throw new Refusal(501, "NotImplemented", "range " + range + " is not implemented by this training responder");
        }
        String[] ends = range.substring("bytes=".length()).split("-", -1);
        long first = Long.parseLong(ends[0]);
        long last = ends[1].isEmpty() ? size - 1 : Long.parseLong(ends[1]);
        if (last < first) {
            throw new Refusal(400, "InvalidArgument", "range " + range + " ends before it starts");
        }
        if (first >= size) {
            throw new Refusal(416, "InvalidRange", "the object has " + size + " bytes: " + range + " is not satisfiable");
        }
        return new long[] {first, Math.min(last, size - 1L)};
    }

    private void put(HttpExchange exchange, String key) throws IOException, Refusal {
        Headers in = exchange.getRequestHeaders();
        if (in.containsKey("x-amz-copy-source")) {
            throw new Refusal(501, "NotImplemented", "copying objects is not implemented by this training responder");
        }
        byte[] sent = readBody(exchange.getRequestBody(), in.getFirst("Content-Length"));
        byte[] data;
        try {
            data = isAwsChunked(in) ? AwsChunkedBody.decode(sent, in.getFirst("x-amz-decoded-content-length")) : sent;
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "IncompleteBody", e.getMessage());
        }
        byte[] md5 = md5(data);
        String claimed = in.getFirst("Content-MD5");
        if (claimed != null && !claimed.equals(Base64.getEncoder().encodeToString(md5))) {
            throw new Refusal(400, "BadDigest", "the Content-MD5 does not match the body of " + key);
        }
        StoredObject o = new StoredObject(data, "\"" + HexFormat.of().formatHex(md5) + "\"", Instant.now());
        store(key, o);
        exchange.getResponseHeaders().set("ETag", o.etag());
        exchange.sendResponseHeaders(200, -1);
    }

    private static boolean isAwsChunked(Headers in) {
        String sha = in.getFirst("x-amz-content-sha256");
        String encoding = in.getFirst("Content-Encoding");
        return (sha != null && sha.startsWith("STREAMING-")) || (encoding != null && encoding.contains("aws-chunked"));
    }

    private void delete(HttpExchange exchange, String key) throws IOException {
        synchronized (objects) {
            StoredObject gone = objects.remove(key);
            if (gone != null) {
                stored -= gone.data().length;
            }
        }
        exchange.sendResponseHeaders(204, -1);
    }

    /** Stores {@code o} under {@code key} unless all objects together would then exceed {@link #MAX_BYTES}. */
    private void store(String key, StoredObject o) throws Refusal {
        synchronized (objects) {
            StoredObject previous = objects.get(key);
            long after = stored + o.data().length - (previous == null ? 0 : previous.data().length);
            if (after > MAX_BYTES) {
                throw new Refusal(400, "EntityTooLarge", "this training responder holds at most " + MAX_BYTES + " bytes");
            }
            objects.put(key, o);
            stored = after;
        }
    }

    private static byte[] readBody(InputStream body, String contentLength) throws IOException, Refusal {
        if (contentLength == null) {
            throw new Refusal(411, "MissingContentLength", "a PUT needs a Content-Length");
        }
        long length;
        try {
            length = Long.parseLong(contentLength);
        } catch (NumberFormatException e) {
            throw new Refusal(400, "InvalidArgument", "bad Content-Length " + contentLength);
        }
        if (length < 0 || length > MAX_BYTES) {
            throw new Refusal(400, "EntityTooLarge", "this training responder takes at most " + MAX_BYTES + " bytes");
        }
        byte[] data = body.readNBytes((int) length);
        if (data.length != length) {
            throw new Refusal(400, "IncompleteBody", "the body ended after " + data.length + " of " + length + " bytes");
        }
        return data;
    }

    private static void drain(InputStream body) {
        try {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // The connection is closed with the exchange anyway.
        }
    }

    private static void sendError(HttpExchange exchange, Refusal r) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(r.status, -1);
            return;
        }
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + r.code + "</Code><Message>"
                + xml(r.getMessage()) + "</Message><Resource>" + xml(exchange.getRequestURI().getRawPath())
                + "</Resource></Error>";
        send(exchange, r.status, "application/xml", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) throws Refusal {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (out.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1))) != null) {
                throw new Refusal(400, "InvalidArgument", "parameter " + name + " given twice");
            }
        }
        return out;
    }

    private static String decode(String s) throws Refusal {
        try {
            // URLDecoder would turn '+' into a space: S3 clients send a space as %20 and '+' as %2B.
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "InvalidURI", "bad escape in " + s);
        }
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String tokenOf(String key) {
        return Base64.getUrlEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String tokenKey(String token) throws Refusal {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "InvalidArgument", "bad continuation token");
        }
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("a four-byte address is always valid", e);
        }
    }
}
