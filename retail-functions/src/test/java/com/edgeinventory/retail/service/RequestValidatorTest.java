package com.edgeinventory.retail.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void acceptsWellFormedRequests() {
        assertThat(RequestValidator.addItem(b("{\"sku\":\"TR-RUN-42-BLU\",\"qty\":50}")))
                .isEqualTo(new RequestValidator.AddItem("TR-RUN-42-BLU", 50));
        assertThat(RequestValidator.addItem(b("{\"sku\":\"TR-RUN-42-BLU\",\"qty\":1,\"customerId\":\"cust-1\"}")))
                .isEqualTo(new RequestValidator.AddItem("TR-RUN-42-BLU", 1, "cust-1"));
        RequestValidator.Sale sale = RequestValidator.sale(b("{\"customerId\":\"c-1\",\"lines\":[{\"qty\":1,\"sku\":\"ABC\"}]}"));
        assertThat(sale.customerId()).isEqualTo("c-1");
        assertThat(sale.lines()).containsExactly(new Transitions.LineRequest("ABC", 1));
        RequestValidator.emptyBody(new byte[0]);
        RequestValidator.emptyBody(b("{}"));
    }

    @Test
    void namesTheFieldOfADuplicateKey() {
        assertThatThrownBy(() -> RequestValidator.addItem(b("{\"qty\":1,\"qty\":2,\"sku\":\"ABC\"}")))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.field()).isEqualTo("/qty"));
    }

    @Test
    void rejectsInvalidUtf8() {
        assertThatThrownBy(() -> RequestValidator.addItem(new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'}))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.field()).isEqualTo("body"));
    }
}
