package com.edgeinventory.cli.analytics;

import com.edgeinventory.cli.UsageException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.cli.analytics.AnalyticsQuery.AnalyticsRequest;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * GETs of a deployed HTTP API with IAM authorization: SigV4 (service {@value #SERVICE}) by the SDK's
 * {@link AwsV4HttpSigner}, sent with {@code java.net.http}.
 */
public final class ExecuteApiClient implements AutoCloseable {

    public static final String SERVICE = ExecuteApiSigner.SERVICE;
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** {@code {api-id}.execute-api.{region}.amazonaws.com} (or .com.cn). */
    private static final Pattern EXECUTE_API_HOST =
            Pattern.compile("[a-z0-9]+\\.execute-api\\.([a-z]{2}(?:-[a-z]+)+-\\d)\\.amazonaws\\.com(?:\\.cn)?");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    /** Headers java.net.http sets itself and refuses from callers. */

    private final URI base;
    private final ExecuteApiSigner signer;
    private final HttpClient http;

    /**
     * @param base        the API's base URL without a trailing slash ({@link #baseUrl})
     * @param credentials the identity that signs
     */
    public ExecuteApiClient(URI base, String region, AwsCredentials credentials) {
        this.base = base;
        this.signer = new ExecuteApiSigner(region, credentials);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * {@code --api}: an https URL (http only to this machine, for tests and tunnels), optionally with a base path
     * (a stage or a custom domain's mapping), without query or fragment; the trailing slash removed.
     */
    public static URI baseUrl(String command, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new UsageException(command, "--api '" + value + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new UsageException(command, "--api must be the API's https URL like "
                    + "https://abc123.execute-api.us-east-2.amazonaws.com, got '" + value + "'");
        }
        if (scheme.equals("http") && !LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            throw new UsageException(command, "--api must use https (http only to localhost), got '" + value + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new UsageException(command, "--api must be a base URL without user, query or fragment, got '"
                    + value + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    /** The region in an execute-api host name, e.g. us-east-2 of abc123.execute-api.us-east-2.amazonaws.com. */
    public static Optional<String> hostRegion(URI base) {
        Matcher m = EXECUTE_API_HOST.matcher(base.getHost().toLowerCase(Locale.ROOT));
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * Credentials of this command's environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
     * optional {@code AWS_SESSION_TOKEN}), as the default chain's environment step reads them; without them, the
     * SDK's default chain (system properties, web identity, {@code AWS_PROFILE} or the default profile, SSO,
     * container and instance credentials).
     */
    public static AwsCredentials credentials(Map<String, String> environment) {
        String keyId = environment.get("AWS_ACCESS_KEY_ID");
        String secret = environment.get("AWS_SECRET_ACCESS_KEY");
        if (keyId != null && !keyId.isBlank() && secret != null && !secret.isBlank()) {
            String token = environment.get("AWS_SESSION_TOKEN");
            return token == null || token.isBlank() ? AwsBasicCredentials.create(keyId, secret)
                    : AwsSessionCredentials.create(keyId, secret, token);
        }
        DefaultCredentialsProvider.Builder chain = DefaultCredentialsProvider.builder();
        Optional.ofNullable(environment.get("AWS_PROFILE")).filter(p -> !p.isBlank()).ifPresent(chain::profileName);
        try (DefaultCredentialsProvider provider = chain.build()) {
            return resolve(provider);
        }
    }

    private static AwsCredentials resolve(AwsCredentialsProvider provider) {
        try {
            return provider.resolveCredentials();
        } catch (SdkClientException e) {
            throw new LocalRuntimeException("No AWS credentials to sign the request to the analytics API (set "
                    + "AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run 'aws sso login'): "
                    + e.getMessage());
        }
    }

    public AnalyticsResponse get(AnalyticsRequest request) {
        URI uri = URI.create(base + request.pathAndQuery());
        HttpRequest.Builder builder = signer.signedGet(uri).timeout(REQUEST_TIMEOUT);
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new LocalRuntimeException("The analytics API at " + base + " did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new LocalRuntimeException("Cannot reach the analytics API at " + base + ": connection refused");
        } catch (IOException e) {
            throw new LocalRuntimeException("Cannot reach the analytics API at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRuntimeException("Interrupted while waiting for the analytics API", e);
        }
        Map<String, String> headers = new TreeMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return new AnalyticsResponse(response.statusCode(), headers, response.body());
    }

    @Override
    public void close() {
        http.close();
    }
}
