package com.edgeinventory.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Makes the LocalStack path visible: every *IT runs against LocalStack (Testcontainers) when
 * EDGE_TEST_BACKEND=localstack, which needs Docker. Where that is not set, this test is reported as skipped
 * with the reason, instead of the path silently not existing.
 */
@ExtendWith(LocalAwsExtension.class)
class LocalStackPathIT {

    @Test
    void theIntegrationTestsRunAgainstLocalStackWhenSelected(LocalAws aws) throws Exception {
        assumeTrue("localstack".equalsIgnoreCase(System.getenv(LocalAwsExtension.BACKEND_VARIABLE)),
                "LocalStack path not selected: the integration tests ran against moto. Set "
                        + LocalAwsExtension.BACKEND_VARIABLE + "=localstack where Docker runs "
                        + "(the localstack job in .github/workflows/ci.yml does).");

        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(aws.endpoint() + "/_localstack/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("dynamodb");
    }
}
