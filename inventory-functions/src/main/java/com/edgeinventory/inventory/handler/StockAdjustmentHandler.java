package com.edgeinventory.inventory.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.edgeinventory.inventory.service.StockAdjustmentService;
import java.time.Clock;

/** S3 trigger for {@code stock/}: warehouse restock and shrinkage files. */
public final class StockAdjustmentHandler implements RequestHandler<S3Event, UploadReport> {

    private final StockAdjustmentService service;
    private final UploadRouting routing;

    /**
     * Called by Lambda: builds and warms up the clients once per container from the environment (see
     * {@link ParallelInit}).
     */
    public StockAdjustmentHandler() {
        this(FunctionConfig.from(System.getenv()));
    }

    private StockAdjustmentHandler(FunctionConfig config) {
        this(ParallelInit.adapters(config, "stock/.prime"), config.routing());
    }

    private StockAdjustmentHandler(ParallelInit.Adapters adapters, UploadRouting routing) {
        this(new StockAdjustmentService(adapters.uploads(), adapters.inventory(), Clock.systemUTC()), routing);
    }

    StockAdjustmentHandler(StockAdjustmentService service) {
        this(service, UploadRouting.ANY);
    }

    StockAdjustmentHandler(StockAdjustmentService service, UploadRouting routing) {
        this.service = service;
        this.routing = routing;
    }

    @Override
    public UploadReport handleRequest(S3Event event, Context context) {
        return S3Records.process(event, context, routing, service::handle);
    }
}
