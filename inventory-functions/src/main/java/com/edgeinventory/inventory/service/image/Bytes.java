package com.edgeinventory.inventory.service.image;

/** Unsigned reads from a byte array; callers check bounds first. */
final class Bytes {
    private Bytes() {
    }

    static int u16be(byte[] d, int at) {
        return (d[at] & 0xFF) << 8 | (d[at + 1] & 0xFF);
    }

    static long u32be(byte[] d, int at) {
        return (long) u16be(d, at) << 16 | u16be(d, at + 2);
    }

    static int u16(byte[] d, int at, boolean littleEndian) {
        return littleEndian ? (d[at] & 0xFF) | (d[at + 1] & 0xFF) << 8 : u16be(d, at);
    }

    static long u32(byte[] d, int at, boolean littleEndian) {
        return littleEndian
                ? (long) u16(d, at + 2, true) << 16 | u16(d, at, true)
                : u32be(d, at);
    }
}
