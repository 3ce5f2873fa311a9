package com.edgeinventory.inventory.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.edgeinventory.inventory.adapter.AwsClients;
import com.edgeinventory.inventory.adapter.InventoryTable;
import com.edgeinventory.inventory.adapter.S3UploadBucket;
import com.edgeinventory.inventory.service.StockAdjustmentService;
import java.time.Clock;

/** S3 trigger for {@code stock/}: warehouse restock and shrinkage files. */
public final class StockAdjustmentHandler implements RequestHandler<S3Event, UploadReport> {

    private final StockAdjustmentService service;

    /**
     * Called by Lambda: builds the clients once per container from the environment, side by side with the
     * JSON mapper (see {@link ParallelInit}).
     */
    public StockAdjustmentHandler() {
        this(FunctionConfig.from(System.getenv()), ParallelInit.clientsAndJson());
    }

    private StockAdjustmentHandler(FunctionConfig config, AwsClients.S3AndDynamoDb clients) {
        this(new StockAdjustmentService(
                new S3UploadBucket(clients.s3()),
                new InventoryTable(clients.dynamoDb(), config.inventoryTable()),
                Clock.systemUTC()));
    }

    StockAdjustmentHandler(StockAdjustmentService service) {
        this.service = service;
    }

    @Override
    public UploadReport handleRequest(S3Event event, Context context) {
        return S3Records.process(event, context, service::handle);
    }
}
