package com.edgeinventory.model;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parses and validates a warehouse stock file, {@code stock/{warehouseId}/{batchId}.jsonl}: one JSON
 * object {@code {"sku","delta","reason"}} per line. A file is all-or-nothing at this stage: one bad line
 * makes the whole file invalid, and every bad line is reported with its line number.
 */
public final class StockFileParser {

    public static final int MAX_FILE_BYTES = 5 * 1024 * 1024;
    public static final int MAX_LINES = 10_000;
    public static final long MAX_DELTA = 1_000_000;

    static final Set<String> FIELDS = Set.of("sku", "delta", "reason");

    private StockFileParser() {}

    public static Parsed<List<StockAdjustment>> parse(byte[] content) {
        List<ValidationError> errors = JsonFields.newErrors();
        if (content.length > MAX_FILE_BYTES) {
            errors.add(new ValidationError("", "the file is " + content.length + " bytes; the maximum is " + MAX_FILE_BYTES));
            return Parsed.invalid(errors);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
        } catch (CharacterCodingException e) {
            errors.add(new ValidationError("", "the file is not valid UTF-8"));
            return Parsed.invalid(errors);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        List<StockAdjustment> adjustments = new ArrayList<>();
        int lineNumber = 0;
        for (String line : lines) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            if (adjustments.size() + errors.size() >= MAX_LINES) {
                errors.add(new ValidationError("line " + lineNumber, "the file has more than " + MAX_LINES
                        + " adjustments; split it into several batches"));
                break;
            }
            parseLine(line, lineNumber, errors).ifPresent(adjustments::add);
        }
        if (!errors.isEmpty()) {
            return Parsed.invalid(errors);
        }
        if (adjustments.isEmpty()) {
            return Parsed.invalid(List.of(new ValidationError("", "the file has no adjustments")));
        }
        return Parsed.valid(List.copyOf(adjustments));
    }

    private static Optional<StockAdjustment> parseLine(String line, int lineNumber, List<ValidationError> errors) {
        int before = errors.size();
        JsonFields fields = JsonFields.parseObject(line.getBytes(StandardCharsets.UTF_8), "line " + lineNumber + ": ", errors);
        if (fields == null) {
            return Optional.empty();
        }
        fields.rejectUnknown(FIELDS);
        String sku = fields.requiredString("sku", 40, UploadKey.SKU,
                "a sku is 3-40 upper-case letters, digits or '-', starting with a letter or digit");
        Long delta = fields.requiredInteger("delta", -MAX_DELTA, MAX_DELTA);
        String reasonText = fields.requiredString("reason", 16, null, null);
        AdjustmentReason reason = null;
        if (reasonText != null) {
            reason = AdjustmentReason.fromWire(reasonText).orElse(null);
            if (reason == null) {
                fields.fail("reason", "'" + reasonText + "' is not one of " + AdjustmentReason.wireNames());
            }
        }
        if (delta != null && delta == 0) {
            fields.fail("delta", "must not be 0");
        } else if (delta != null && reason != null && !reason.allows(delta)) {
            fields.fail("delta", delta + " does not fit reason '" + reason.wireName() + "', which needs " + reason.signRule());
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new StockAdjustment(lineNumber, sku, delta, reason));
    }
}
