package com.edgeinventory.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void theBodyHasTheStandardMembersFirstThenDetailAndFieldOnlyWhenPresentThenTheExtraOnes() {
        Problem problem = Problem.of(409, "out-of-stock", "Out of stock", "only 2 left", "/qty")
                .with("available", 2).with(Map.of("alternatives", List.of("SKU-2")));

        assertThat(problem.body()).containsExactly(
                Map.entry("type", "https://edge-inventory.example/problems/out-of-stock"),
                Map.entry("title", "Out of stock"), Map.entry("status", 409), Map.entry("detail", "only 2 left"),
                Map.entry("field", "/qty"), Map.entry("available", 2), Map.entry("alternatives", List.of("SKU-2")));
        assertThat(Problem.notFound("no route").body()).containsOnlyKeys("type", "title", "status", "detail");
        assertThat(problem.json()).startsWith("{\"type\":\"https://edge-inventory.example/problems/out-of-stock\"");
    }

    @Test
    void bodyLevelProblemsNameTheBody() {
        assertThat(Problem.badRequest("malformed JSON", Problem.BODY).body()).containsEntry("field", "body");
        assertThat(Problem.idempotencyMismatch().field()).isEqualTo("Idempotency-Key");
        assertThat(Problem.CONTENT_TYPE).isEqualTo("application/problem+json");
    }
}
