package com.edgeinventory.retail.adapter;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * An SDK interceptor that asks every DynamoDB request for {@code ReturnConsumedCapacity=TOTAL} (where the API has
 * it), counts the requests sent per operation name (every HTTP attempt, so retries count) and sums the consumed
 * capacity the responses report. Thread-safe. The tests and benchmarks/retail-jmh/budget.sh use it to prove the
 * request budgets. It is not installed in the deployed functions: setting ReturnConsumedCapacity rebuilds every
 * request, and in AWS the table's CloudWatch metrics already report consumed capacity.
 */
public final class DynamoDbRequestCounter implements ExecutionInterceptor {

    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final DoubleAdder capacity = new DoubleAdder();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        return switch (r) {
            case GetItemRequest g when g.returnConsumedCapacity() == null -> g.toBuilder().returnConsumedCapacity(total).build();
            case PutItemRequest p when p.returnConsumedCapacity() == null -> p.toBuilder().returnConsumedCapacity(total).build();
            case UpdateItemRequest u when u.returnConsumedCapacity() == null -> u.toBuilder().returnConsumedCapacity(total).build();
            case DeleteItemRequest d when d.returnConsumedCapacity() == null -> d.toBuilder().returnConsumedCapacity(total).build();
            case QueryRequest q when q.returnConsumedCapacity() == null -> q.toBuilder().returnConsumedCapacity(total).build();
            case ScanRequest s when s.returnConsumedCapacity() == null -> s.toBuilder().returnConsumedCapacity(total).build();
            case BatchGetItemRequest b when b.returnConsumedCapacity() == null -> b.toBuilder().returnConsumedCapacity(total).build();
            case BatchWriteItemRequest b when b.returnConsumedCapacity() == null -> b.toBuilder().returnConsumedCapacity(total).build();
            case TransactWriteItemsRequest t when t.returnConsumedCapacity() == null -> t.toBuilder().returnConsumedCapacity(total).build();
            case TransactGetItemsRequest t when t.returnConsumedCapacity() == null -> t.toBuilder().returnConsumedCapacity(total).build();
            default -> r;
        };
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        requests.computeIfAbsent(operation == null ? "unknown" : operation, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        switch (response) {
            case GetItemResponse g -> add(g.consumedCapacity());
            case PutItemResponse p -> add(p.consumedCapacity());
            case UpdateItemResponse u -> add(u.consumedCapacity());
            case DeleteItemResponse d -> add(d.consumedCapacity());
            case QueryResponse q -> add(q.consumedCapacity());
            case ScanResponse s -> add(s.consumedCapacity());
            case BatchGetItemResponse b -> b.consumedCapacity().forEach(this::add);
            case BatchWriteItemResponse b -> b.consumedCapacity().forEach(this::add);
            case TransactWriteItemsResponse t -> t.consumedCapacity().forEach(this::add);
            case TransactGetItemsResponse t -> t.consumedCapacity().forEach(this::add);
            default -> { }
        }
    }

    private void add(ConsumedCapacity c) {
        if (c != null && c.capacityUnits() != null) {
            capacity.add(c.capacityUnits());
        }
    }

    /** Requests sent per operation name (e.g. {@code TransactWriteItems}), sorted by name. */
    public Map<String, Long> requests() {
        Map<String, Long> copy = new TreeMap<>();
        requests.forEach((op, n) -> copy.put(op, n.get()));
        return copy;
    }

    public long total() {
        return requests.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Capacity units the responses reported (0 where the endpoint reports none). */
    public double consumedCapacity() {
        return capacity.sum();
    }

    public void reset() {
        requests.clear();
        capacity.reset();
    }
}
