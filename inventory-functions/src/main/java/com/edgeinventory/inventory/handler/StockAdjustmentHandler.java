package com.edgeinventory.inventory.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.edgeinventory.inventory.service.StockAdjustmentService;
import java.time.Clock;

/** S3 trigger for {@code stock/}: warehouse restock and shrinkage files. */
public final class StockAdjustmentHandler implements RequestHandler<S3Event, UploadReport> {

    private final StockAdjustmentService service;

    /**
     * Called by Lambda: builds and warms up the clients once per container from the environment (see
     * {@link ParallelInit}).
     */
    public StockAdjustmentHandler() {
        this(ParallelInit.adapters(FunctionConfig.from(System.getenv()), "stock/.prime"));
    }

    private StockAdjustmentHandler(ParallelInit.Adapters adapters) {
        this(new StockAdjustmentService(adapters.uploads(), adapters.inventory(), Clock.systemUTC()));
    }

    StockAdjustmentHandler(StockAdjustmentService service) {
        this.service = service;
    }

    @Override
    public UploadReport handleRequest(S3Event event, Context context) {
        return S3Records.process(event, context, service::handle);
    }
}
