package com.edgeinventory.central.adapter;

import com.edgeinventory.central.service.CustomerVisits;
import com.edgeinventory.model.central.Visit;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The one owner of the edge region's customer-visits table (key {@code customerId}; personal data, never leaves
 * the region):
 * <pre>
 * customerId  firstPurchaseId (S), firstPurchaseAt (ISO-8601)
 * </pre>
 * One UpdateItem per purchase with a customer sets the first purchase if there is none and returns the item: the
 * purchase is the customer's first (NEW) exactly when it is the stored first one, so a redelivered purchase gets the
 * same answer. About 1 WRU per identified purchase (the item is under 1 KB).
 */
public final class CustomerVisitsTable implements CustomerVisits {

    private final DynamoDbClient dynamo;
    private final String tableName;

    public CustomerVisitsTable(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.tableName = Objects.requireNonNull(tableName);
    }

    @Override
    public Visit visit(String purchaseId, String customerId, Instant at) {
        Map<String, AttributeValue> item = dynamo.updateItem(b -> b.tableName(tableName)
                .key(Map.of("customerId", AttributeValue.fromS(customerId)))
                .updateExpression("SET firstPurchaseId = if_not_exists(firstPurchaseId, :p), "
                        + "firstPurchaseAt = if_not_exists(firstPurchaseAt, :at)")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(purchaseId),
                        ":at", AttributeValue.fromS(at.toString())))
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        AttributeValue first = item == null ? null : item.get("firstPurchaseId");
        return first != null && purchaseId.equals(first.s()) ? Visit.NEW : Visit.RETURNING;
    }
}
