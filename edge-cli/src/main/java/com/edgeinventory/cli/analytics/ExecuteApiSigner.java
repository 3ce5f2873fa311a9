package com.edgeinventory.cli.analytics;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import com.edgeinventory.local.aws.AwsClients;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signs GETs of an HTTP API with IAM authorization: SigV4 for service {@value #SERVICE} in one region, by the
 * SDK's {@link AwsV4HttpSigner}. Thread-safe.
 */
public final class ExecuteApiSigner {

    public static final String SERVICE = "execute-api";
    /** Headers java.net.http sets itself and refuses from callers; {@code host} is signed from the URI it sends. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final String region;
    private final AwsCredentials credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public ExecuteApiSigner(String region, AwsCredentials credentials) {
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** With the local stack's test credentials ({@link AwsClients#ACCESS_KEY}/{@link AwsClients#SECRET_KEY}). */
    public static ExecuteApiSigner localTest(String region) {
        return new ExecuteApiSigner(region, AwsBasicCredentials.create(AwsClients.ACCESS_KEY, AwsClients.SECRET_KEY));
    }

    public String region() {
        return region;
    }

    /** A GET of {@code uri} with {@code Accept: application/json}, signed now; add a timeout and send it. */
    public HttpRequest.Builder signedGet(URI uri) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri)
                .putHeader("Accept", "application/json").build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials).request(unsigned)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
        signed.request().forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder;
    }
}
