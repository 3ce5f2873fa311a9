package com.edgeinventory.local.system;

import java.time.Instant;

import com.edgeinventory.devices.DevicesTable;
import com.edgeinventory.local.LocalRuntimeException;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Store devices in a region's DevicesTable, as the {@code device} command and the demo's stores register them,
 * through the table's one owner ({@link DevicesTable}, the class the authorizer reads with).
 */
public final class LocalDevices {

    /** The template's logical id of the devices table. */
    public static final String TABLE = "DevicesTable";

    private LocalDevices() {
    }

    /**
     * Stores a new ACTIVE device of {@code store} with a fresh secret (only its hash is kept) and returns the
     * {@code Authorization} header value the device sends: {@code Device {deviceId}:{secret}}.
     */
    public static String register(DynamoDbClient dynamo, String table, String store, String device) {
        return new DevicesTable(dynamo, table).register(device, store, Instant.now())
                .orElseThrow(() -> new LocalRuntimeException("Device " + device + " already exists in " + table
                        + "; choose another --device (or disable the old one)"));
    }

    /** Sets a device to DISABLED and returns its store. */
    public static String disable(DynamoDbClient dynamo, String table, String device) {
        return new DevicesTable(dynamo, table).disable(device)
                .orElseThrow(() -> new LocalRuntimeException("No device " + device + " in " + table))
                .storeId();
    }
}
