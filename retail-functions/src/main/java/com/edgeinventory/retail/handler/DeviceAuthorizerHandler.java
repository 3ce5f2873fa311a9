package com.edgeinventory.retail.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.edgeinventory.devices.DevicesTable;
import com.edgeinventory.devices.DevicesTable.Device;
import com.edgeinventory.devices.DeviceKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP API Lambda authorizer (payload 2.0, simple responses) for {@code Authorization: Device {deviceId}:{secret}}.
 * Answers {@code {"isAuthorized": true, "context": {"storeId", "deviceId"}}} for an ACTIVE device whose key hash
 * matches, else {@code {"isAuthorized": false}} (API Gateway then answers 403).
 *
 * <p>Never logs the header or the secret. Device items are cached for at most {@link #CACHE_TTL} (found devices
 * only, so a new device is usable at once); with the API's 300 s authorizer cache a disabled device is refused
 * at most 360 s after it is disabled.
 */
public final class DeviceAuthorizerHandler
        implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, Map<String, Object>> {

    static final Duration CACHE_TTL = Duration.ofSeconds(60);
    private static final int CACHE_SIZE = 1024;

    private record Cached(Device device, Instant until) {}

    private final DevicesTable devices;
    private final Clock clock;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** Lambda's constructor: the DynamoDB client and table from the environment. */
    public DeviceAuthorizerHandler() {
        this(new DevicesTable(RetailClients.dynamoDb(), RetailClients.requiredEnv("DEVICES_TABLE")),
                Clock.systemUTC());
        Priming.register(Priming.deviceAuthorizer(this));
    }

    DeviceAuthorizerHandler(DevicesTable devices, Clock clock) {
        this.devices = Objects.requireNonNull(devices);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public Map<String, Object> handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        Optional<DeviceKeys.Credentials> credentials = DeviceKeys.parse(authorizationHeader(event));
        if (credentials.isEmpty()) {
            return deny(context, "malformed-or-missing-header", null);
        }
        String deviceId = credentials.get().deviceId();
        Optional<Device> device = device(deviceId);
        if (device.isEmpty()) {
            // Hash anyway, so an unknown id costs about as long as a wrong key.
            DeviceKeys.matches(credentials.get().secret(), null);
            return deny(context, "unknown-device", deviceId);
        }
        if (!DeviceKeys.matches(credentials.get().secret(), device.get().keyHash())) {
            return deny(context, "wrong-key", deviceId);
        }
        if (!device.get().active()) {
            return deny(context, "device-disabled", deviceId);
        }
        log(context, LogLevel.INFO, "allow device=" + deviceId + " store=" + device.get().storeId());
        return Map.of("isAuthorized", true,
                "context", Map.of("storeId", device.get().storeId(), "deviceId", deviceId));
    }

    /**
     * Forgets every cached device. SnapStart priming calls it before the snapshot and after each restore: a
     * cached ACTIVE device may have been disabled since the snapshot was taken. (The 60 s expiry would mostly
     * catch that, as restores come later, but a snapshot restored within a minute, or a clock that differs,
     * would not.)
     */
    void clearCache() {
        synchronized (cache) {
            cache.clear();
        }
    }

    /** The Authorization header (any case), else the first identity source API Gateway extracted. */
    private static String authorizationHeader(APIGatewayV2CustomAuthorizerEvent event) {
        if (event == null) {
            return null;
        }
        Map<String, String> headers = event.getHeaders();
        if (headers != null) {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (h.getKey() != null && h.getKey().toLowerCase(Locale.ROOT).equals("authorization")) {
                    return h.getValue();
                }
            }
        }
        List<String> identity = event.getIdentitySource();
        return identity == null || identity.size() != 1 ? null : identity.getFirst();
    }

    private Optional<Device> device(String deviceId) {
        Instant now = clock.instant();
        synchronized (cache) {
            Cached cached = cache.get(deviceId);
            if (cached != null && now.isBefore(cached.until())) {
                return Optional.of(cached.device());
            }
            cache.remove(deviceId);
        }
        Optional<Device> found = devices.find(deviceId);
        found.ifPresent(d -> {
            synchronized (cache) {
                cache.put(deviceId, new Cached(d, now.plus(CACHE_TTL)));
            }
        });
        return found;
    }

    private static Map<String, Object> deny(Context context, String reason, String deviceId) {
        log(context, LogLevel.WARN, "deny reason=" + reason + (deviceId == null ? "" : " device=" + deviceId));
        return Map.of("isAuthorized", false);
    }

    /** One line with its level (a level-less line shows as "UNDEFINED" in JSON logs). */
    private static void log(Context context, LogLevel level, String line) {
        LambdaLogger logger = context == null ? null : context.getLogger();
        if (logger != null) {
            logger.log(line + requestId(context), level);
        }
    }

    private static String requestId(Context context) {
        return context.getAwsRequestId() == null ? "" : " requestId=" + context.getAwsRequestId();
    }
}
