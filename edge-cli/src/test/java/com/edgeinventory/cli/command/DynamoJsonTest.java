package com.edgeinventory.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoJsonTest {

    @Test
    void attributeValuesBecomePlainJson() {
        Map<String, AttributeValue> item = Map.of(
                "pk", AttributeValue.fromS("SKU#1"),
                "qty", AttributeValue.fromN("12"),
                "price", AttributeValue.fromN("19.90"),
                "deleted", AttributeValue.fromBool(false),
                "gone", AttributeValue.fromNul(true),
                "sizes", AttributeValue.fromSs(List.of("M", "L")),
                "counts", AttributeValue.fromNs(List.of("1", "2.5")),
                "blob", AttributeValue.fromB(SdkBytes.fromUtf8String("hi")),
                "nested", AttributeValue.fromM(Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromS("x"),
                        AttributeValue.fromN("3"))))));

        String json = DynamoJson.item(item).toString();

        assertThat(json).isEqualTo("{\"blob\":\"aGk=\",\"counts\":[1,2.5],\"deleted\":false,\"gone\":null,"
                + "\"nested\":{\"l\":[\"x\",3]},\"pk\":\"SKU#1\",\"price\":19.90,\"qty\":12,\"sizes\":[\"M\",\"L\"]}");
    }
}
