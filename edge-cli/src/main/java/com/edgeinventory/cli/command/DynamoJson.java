package com.edgeinventory.cli.command;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB items as plain JSON: numbers stay exact, binaries become base64, sets become arrays. */
final class DynamoJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private DynamoJson() {
    }

    /** The item as a JSON object with keys in alphabetical order. */
    static ObjectNode item(Map<String, AttributeValue> item) {
        ObjectNode node = NODES.objectNode();
        new TreeMap<>(item).forEach((k, v) -> node.set(k, value(v)));
        return node;
    }

    static JsonNode value(AttributeValue v) {
        return switch (v.type()) {
            case S -> NODES.textNode(v.s());
            case N -> NODES.numberNode(new BigDecimal(v.n()));
            case BOOL -> NODES.booleanNode(v.bool());
            case NUL -> NODES.nullNode();
            case B -> NODES.textNode(Base64.getEncoder().encodeToString(v.b().asByteArray()));
            case M -> item(v.m());
            case L -> {
                ArrayNode array = NODES.arrayNode();
                v.l().forEach(e -> array.add(value(e)));
                yield array;
            }
            case SS -> {
                ArrayNode array = NODES.arrayNode();
                v.ss().forEach(array::add);
                yield array;
            }
            case NS -> {
                ArrayNode array = NODES.arrayNode();
                v.ns().forEach(n -> array.add(new BigDecimal(n)));
                yield array;
            }
            case BS -> {
                ArrayNode array = NODES.arrayNode();
                v.bs().forEach(b -> array.add(Base64.getEncoder().encodeToString(b.asByteArray())));
                yield array;
            }
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("Unknown attribute value " + v);
        };
    }
}
