package com.edgeinventory.central.handler;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.edgeinventory.central.service.ChangeRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Lambda's DynamoDB stream record to the Lambda-free {@link ChangeRecord}. */
final class ChangeRecords {

    private ChangeRecords() {}

    static ChangeRecord of(DynamodbEvent.DynamodbStreamRecord record) {
        StreamRecord dynamodb = record.getDynamodb();
        if (dynamodb == null) {
            throw new IllegalArgumentException("stream record without a dynamodb part");
        }
        long approximate = dynamodb.getApproximateCreationDateTime() == null ? 0
                : dynamodb.getApproximateCreationDateTime().getTime();
        return new ChangeRecord(dynamodb.getSequenceNumber(), record.getEventName(), item(dynamodb.getKeys()),
                dynamodb.getNewImage() == null ? null : item(dynamodb.getNewImage()), approximate);
    }

    private static Map<String, Object> item(Map<String, AttributeValue> attributes) {
        Map<String, Object> item = new HashMap<>();
        if (attributes != null) {
            attributes.forEach((name, value) -> item.put(name, value(value)));
        }
        return item;
    }

    private static Object value(AttributeValue v) {
        if (v == null || Boolean.TRUE.equals(v.getNULL())) {
            return null;
        }
        if (v.getS() != null) {
            return v.getS();
        }
        if (v.getN() != null) {
            return new ChangeRecord.Num(v.getN());
        }
        if (v.getBOOL() != null) {
            return v.getBOOL();
        }
        if (v.getM() != null) {
            return item(v.getM());
        }
        if (v.getL() != null) {
            List<Object> list = new ArrayList<>();
            v.getL().forEach(e -> list.add(value(e)));
            return list;
        }
        return new ChangeRecord.Other(v.getSS() != null ? "SS" : v.getNS() != null ? "NS" : "B");
    }
}
