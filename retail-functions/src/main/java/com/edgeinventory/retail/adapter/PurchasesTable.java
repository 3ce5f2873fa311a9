package com.edgeinventory.retail.adapter;

import com.edgeinventory.retail.service.Purchase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The one owner of the purchases table's item layout.
 *
 * <pre>
 * purchaseId  kind (checkout|sale), storeId, deviceId, clientId?, txnId?, customerId?,
 *     lines (L of M: sku, qty N, unitPrice S, currency, name), total (S, exact), currency,
 *     purchasedAt (ISO-8601; with storeId the key of GSI byStore)
 * </pre>
 */
public final class PurchasesTable {

    private final String tableName;

    public PurchasesTable(String tableName) {
        this.tableName = Objects.requireNonNull(tableName);
    }

    public String tableName() {
        return tableName;
    }

    public TransactWriteItem put(Purchase p) {
        return TransactWriteItem.builder().put(b -> b.tableName(tableName).item(toItem(p))
                .conditionExpression("attribute_not_exists(purchaseId)")).build();
    }

    static Map<String, AttributeValue> toItem(Purchase p) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("purchaseId", AttributeValue.fromS(p.purchaseId()));
        item.put("kind", AttributeValue.fromS(p.kind()));
        item.put("storeId", AttributeValue.fromS(p.storeId()));
        item.put("deviceId", AttributeValue.fromS(p.deviceId()));
        if (p.clientId() != null) {
            item.put("clientId", AttributeValue.fromS(p.clientId()));
        }
        if (p.txnId() != null) {
            item.put("txnId", AttributeValue.fromS(p.txnId()));
        }
        if (p.customerId() != null) {
            item.put("customerId", AttributeValue.fromS(p.customerId()));
        }
        item.put("lines", AttributeValue.fromL(p.lines().stream().map(l -> StateTable.lineValue(l, false)).toList()));
        item.put("total", AttributeValue.fromS(p.total().toPlainString()));
        item.put("currency", AttributeValue.fromS(p.currency()));
        item.put("purchasedAt", AttributeValue.fromS(p.purchasedAt().toString()));
        return item;
    }
}
