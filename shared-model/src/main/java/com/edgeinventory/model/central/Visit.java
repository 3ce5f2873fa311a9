package com.edgeinventory.model.central;

/**
 * Who made a purchase, as the edge region tells it without saying who: a customer buying here for the first time,
 * one coming back, or nobody identified. The customer's id never leaves the edge region; this is all central gets.
 */
public enum Visit {
    /** Not said (a record of format version 1, or a line that is not its basket's first). */
    UNKNOWN,
    /** No customer identified. */
    ANONYMOUS,
    /** The customer's first purchase in this region. */
    NEW,
    /** A customer who bought in this region before. */
    RETURNING
}
