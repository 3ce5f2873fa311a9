package com.edgeinventory.inventory.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.edgeinventory.inventory.service.ProductUploadService;
import com.edgeinventory.inventory.service.image.ImageLimits;
import com.edgeinventory.inventory.service.image.ImageProcessor;
import java.time.Clock;

/** S3 trigger for {@code products/}: product.json and product images. */
public final class ProductUploadHandler implements RequestHandler<S3Event, UploadReport> {

    private final ProductUploadService service;
    private final UploadRouting routing;

    /**
     * Called by Lambda: builds and warms up the clients once per container from the environment (see
     * {@link ParallelInit}).
     */
    public ProductUploadHandler() {
        this(FunctionConfig.from(System.getenv()));
    }

    private ProductUploadHandler(FunctionConfig config) {
        this(config, ParallelInit.adapters(config, "products/.prime"));
    }

    private ProductUploadHandler(FunctionConfig config, ParallelInit.Adapters adapters) {
        this(new ProductUploadService(
                adapters.uploads(),
                adapters.inventory(),
                new ImageProcessor(new ImageLimits(config.maxImageBytes(), ImageLimits.DEFAULT.maxPixels()),
                        config.thumbnailSizes()),
                Clock.systemUTC(),
                config.maxImageBytes()), config.routing());
    }

    ProductUploadHandler(ProductUploadService service) {
        this(service, UploadRouting.ANY);
    }

    ProductUploadHandler(ProductUploadService service, UploadRouting routing) {
        this.service = service;
        this.routing = routing;
    }

    @Override
    public UploadReport handleRequest(S3Event event, Context context) {
        return S3Records.process(event, context, routing, service::handle);
    }
}
