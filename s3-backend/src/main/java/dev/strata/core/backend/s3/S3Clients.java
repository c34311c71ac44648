package dev.strata.core.backend.s3;

import dev.strata.core.error.UserFacingException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import javax.net.ssl.TrustManager;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the SDK client for a backend from its settings: HTTP client, TLS trust, region, addressing, retries. */
final class S3Clients {
    private static final Pattern AWS_REGION_IN_HOST = Pattern.compile("^(?:.*\\.)?s3[.-]([a-z]{2}(?:-[a-z]+)+-\\d)\\.amazonaws\\.com(?:\\.cn)?$");

    private S3Clients() {
    }

    static S3Client build(S3Settings settings, S3Credentials credentials) throws UserFacingException {
        Apache5HttpClient.Builder http = Apache5HttpClient.builder()
                .connectionTimeout(settings.connectTimeout())
                .socketTimeout(settings.socketTimeout())
                .maxConnections(Math.max(16, settings.partThreads() * 4));
        // Only a TLS endpoint uses the CA file: over http:// it is not read (AWS_CA_BUNDLE, often set for
        // every program on a machine, names the whole system list, whose ~140 certificates cost about
        // 0.4 s of CPU to parse in a starting JVM).
        boolean tls = "https".equals(settings.location().endpoint().getScheme());
        if (settings.caFile() != null && tls) {
            TrustManager[] trust = CaTrust.fromPem(settings.caFile());
            http.tlsTrustManagersProvider(() -> trust);
        }
        if (!tls) {
            // The HTTP client would build its TLS context now, trusted certificates and all (DeferredTls).
            http.tlsSocketStrategy(new DeferredTls());
        }
        SdkHttpClient httpClient = http.build();
        // Backoff with full jitter on every retryable failure: 5xx, throttling (SlowDown), resets,
        // timeouts, truncated bodies. No circuit breaker: a flaky link should slow a backup, not stop it.
        RetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(settings.baseDelay(), settings.maxDelay()))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(settings.baseDelay().multipliedBy(2), settings.maxDelay()))
                .circuitBreakerEnabled(false)
                .build();
        return S3Client.builder()
                .httpClient(httpClient)
                .endpointOverride(settings.location().endpoint())
                .region(Region.of(region(settings, credentials)))
                .credentialsProvider(credentials.provider())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build())
                // Content-MD5 on every upload instead of the newer trailing checksums, which servers
                // other than AWS (older MinIO, Ceph RGW, S3Proxy) do not all understand.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(retries).build())
                .build();
    }

    /** The region to sign for: the settings, the profile, an AWS host name, else us-east-1 (which MinIO and Ceph accept). */
    static String region(S3Settings settings, S3Credentials credentials) {
        if (settings.region() != null && !settings.region().isBlank()) {
            return settings.region().trim();
        }
        return credentials.profileRegion().orElseGet(() -> regionOfHost(settings.location().host()));
    }

    static String regionOfHost(String host) {
        Matcher m = AWS_REGION_IN_HOST.matcher(host.toLowerCase(Locale.ROOT));
        return m.matches() ? m.group(1) : "us-east-1";
    }
}
