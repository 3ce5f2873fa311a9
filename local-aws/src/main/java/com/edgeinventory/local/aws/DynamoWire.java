package com.edgeinventory.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB items in DynamoDB's own JSON ({@code {"S": ...}}, {@code {"N": ...}}, ...): as stream events carry
 * them and as the wire sizes them.
 */
public final class DynamoWire {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private DynamoWire() {
    }

    public static ObjectNode item(Map<String, AttributeValue> item) {
        ObjectNode node = NODES.objectNode();
        item.forEach((k, v) -> node.set(k, value(v)));
        return node;
    }

    public static JsonNode value(AttributeValue v) {
        ObjectNode node = NODES.objectNode();
        switch (v.type()) {
            case S -> node.put("S", v.s());
            case N -> node.put("N", v.n());
            case BOOL -> node.put("BOOL", v.bool());
            case NUL -> node.put("NULL", true);
            case B -> node.put("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
            case M -> node.set("M", item(v.m()));
            case L -> {
                ArrayNode list = node.putArray("L");
                v.l().forEach(e -> list.add(value(e)));
            }
            case SS -> v.ss().forEach(node.putArray("SS")::add);
            case NS -> v.ns().forEach(node.putArray("NS")::add);
            case BS -> {
                ArrayNode list = node.putArray("BS");
                v.bs().forEach(b -> list.add(Base64.getEncoder().encodeToString(b.asByteArray())));
            }
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("Unknown attribute value " + v);
        }
        return node;
    }
}
