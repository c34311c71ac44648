package dev.strata.cli;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.s3.S3Backend;
import dev.strata.core.backend.s3.S3Location;
import dev.strata.core.backend.s3.S3Settings;
import dev.strata.core.testing.BackendContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class-archive training's S3 responder: Strata's S3 backend works against it as against any S3
 * (the backend contract), it listens on 127.0.0.1 alone, and it refuses with S3's errors every request
 * it does not implement and every body that does not match its checksum or framing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrainingS3ResponderTest extends BackendContract {
    private static final Map<String, String> ENV = Map.of("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s",
            "STRATA_S3_RETRIES", "0");
    private final HttpClient http = HttpClient.newHttpClient();
    private TrainingS3Responder responder;

    @Override
    protected Backend newBackend() throws IOException {
        responder = TrainingS3Responder.start("bucket");
        S3Location location = S3Location.parse("s3:" + responder.repositoryUrl() + "/repo");
        return new S3Backend(S3Settings.of(location, ENV));
    }

    @Override
    protected void putForeignObject(String path, byte[] data) throws IOException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/bucket/repo/" + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stopResponder() {
        if (responder != null) {
            responder.close();
        }
    }

    @Test
    void listensOnLoopbackAlone() {
        assertThat(responder.repositoryUrl()).startsWith("http://127.0.0.1:" + responder.port() + "/");
    }

    @Test
    void multipartUploads_otherListings_andOtherMethods_areNotImplemented() throws IOException {
        assertRefused(HttpRequest.newBuilder(uri("/bucket/repo/data/x?uploads")).POST(HttpRequest.BodyPublishers.noBody()),
                501, "NotImplemented");
        assertRefused(HttpRequest.newBuilder(uri("/bucket/repo/data/x?partNumber=1&uploadId=u"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})), 501, "NotImplemented");
        assertRefused(HttpRequest.newBuilder(uri("/bucket?uploads")).GET(), 501, "NotImplemented");
        assertRefused(HttpRequest.newBuilder(uri("/bucket")).GET(), 501, "NotImplemented");
        assertRefused(HttpRequest.newBuilder(uri("/bucket?list-type=2&delimiter=/")).GET(), 501, "NotImplemented");
        assertRefused(HttpRequest.newBuilder(uri("/bucket/key?x-id=DeleteObject")).GET(), 501, "NotImplemented");
        assertRefused(HttpRequest.newBuilder(uri("/bucket/key?acl")).GET(), 501, "NotImplemented");
        assertRefused(HttpRequest.newBuilder(uri("/bucket/key")).header("x-amz-copy-source", "/bucket/other")
                .PUT(HttpRequest.BodyPublishers.noBody()), 501, "NotImplemented");
        assertRefused(HttpRequest.newBuilder(uri("/bucket/key")).method("PATCH", HttpRequest.BodyPublishers.noBody()),
                501, "NotImplemented");
        assertRefused(HttpRequest.newBuilder(uri("/")).GET(), 404, "NoSuchBucket");
        assertRefused(HttpRequest.newBuilder(uri("/other/key")).GET(), 404, "NoSuchBucket");
    }

    @Test
    void aBodyThatDoesNotMatchItsChecksumOrFraming_isRefused_andNotStored() throws IOException {
        byte[] md5OfSomethingElse = Base64.getDecoder().decode("1B2M2Y8AsgTpgAmY7PhCfg==");
        assertRefused(HttpRequest.newBuilder(uri("/bucket/key")).header("Content-MD5", Base64.getEncoder()
                .encodeToString(md5OfSomethingElse)).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})),
                400, "BadDigest");
        String cut = "5;chunk-signature=00\r\nabc";
        assertRefused(HttpRequest.newBuilder(uri("/bucket/key")).header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                .header("x-amz-decoded-content-length", "5").PUT(HttpRequest.BodyPublishers.ofString(cut)), 400, "IncompleteBody");
        String shortOfItsLength = "3;chunk-signature=00\r\nabc\r\n0;chunk-signature=00\r\n\r\n";
        assertRefused(HttpRequest.newBuilder(uri("/bucket/key")).header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                .header("x-amz-decoded-content-length", "5").PUT(HttpRequest.BodyPublishers.ofString(shortOfItsLength)),
                400, "IncompleteBody");
        assertThat(send(HttpRequest.newBuilder(uri("/bucket/key")).GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void anAwsChunkedBody_isStoredDecoded() throws IOException {
        String framed = "3;chunk-signature=00\r\nabc\r\n2;chunk-signature=00\r\nde\r\n0;chunk-signature=00\r\n\r\n";
        assertThat(send(HttpRequest.newBuilder(uri("/bucket/key")).header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                .header("x-amz-decoded-content-length", "5").PUT(HttpRequest.BodyPublishers.ofString(framed))).statusCode())
                .isEqualTo(200);
        HttpResponse<String> got = send(HttpRequest.newBuilder(uri("/bucket/key")).header("Range", "bytes=1-").GET());
        assertThat(got.statusCode()).isEqualTo(206);
        assertThat(got.body()).isEqualTo("bcde");
        assertThat(got.headers().firstValue("Content-Range")).hasValue("bytes 1-4/5");
    }

    @Test
    void aListing_isPaged_byMaxKeysAndItsToken() throws IOException {
        for (String k : new String[] {"p/a", "p/b", "p/c", "q/d"}) {
            assertThat(send(HttpRequest.newBuilder(uri("/bucket/" + k)).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})))
                    .statusCode()).isEqualTo(200);
        }
        HttpResponse<String> first = send(HttpRequest.newBuilder(uri("/bucket?list-type=2&prefix=p/&max-keys=2")).GET());
        assertThat(first.body()).contains("<Key>p/a</Key>", "<Key>p/b</Key>", "<IsTruncated>true</IsTruncated>")
                .doesNotContain("p/c");
        String token = first.body().replaceAll(".*<NextContinuationToken>([^<]*)</NextContinuationToken>.*", "$1");
        HttpResponse<String> rest = send(HttpRequest.newBuilder(uri("/bucket?list-type=2&prefix=p/&max-keys=2&continuation-token="
                + token)).GET());
        assertThat(rest.body()).contains("<Key>p/c</Key>", "<KeyCount>1</KeyCount>", "<IsTruncated>false</IsTruncated>")
                .doesNotContain("p/a", "q/d");
    }

    private void assertRefused(HttpRequest.Builder request, int status, String code) throws IOException {
        HttpResponse<String> r = send(request);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("<Code>" + code + "</Code>");
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + responder.port() + pathAndQuery);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
