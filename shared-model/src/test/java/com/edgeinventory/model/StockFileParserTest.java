package com.edgeinventory.model;

import static com.edgeinventory.model.ParsedAssertions.errorsOf;
import static com.edgeinventory.model.ParsedAssertions.valueOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StockFileParserTest {

    private static Parsed<List<StockAdjustment>> parse(String text) {
        return StockFileParser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesLinesWithTheirLineNumbersSkippingBlankLines() {
        Parsed<List<StockAdjustment>> parsed = parse("""
                {"sku":"TR-RUN-42-BLU","delta":10,"reason":"restock"}

                {"sku":"TR-RUN-42-BLU","delta":-2,"reason":"shrinkage"}\r
                {"sku":"TR-RUN-43-RED","delta":-1,"reason":"correction"}
                """);

        assertThat(valueOf(parsed)).containsExactly(
                new StockAdjustment(1, "TR-RUN-42-BLU", 10, AdjustmentReason.RESTOCK),
                new StockAdjustment(3, "TR-RUN-42-BLU", -2, AdjustmentReason.SHRINKAGE),
                new StockAdjustment(4, "TR-RUN-43-RED", -1, AdjustmentReason.CORRECTION));
    }

    static Stream<Arguments> badFiles() {
        String ok = "{\"sku\":\"TR-RUN-42-BLU\",\"delta\":10,\"reason\":\"restock\"}\n";
        return Stream.of(
                Arguments.of("empty file", "", "", "no adjustments"),
                Arguments.of("malformed line", ok + "{\"sku\":", "line 2: line 1, column", "malformed JSON"),
                Arguments.of("array line", ok + "[]", "line 2: /", "expected a JSON object"),
                Arguments.of("missing delta", "{\"sku\":\"TR-RUN-42-BLU\",\"reason\":\"restock\"}", "line 1: /delta", "is required"),
                Arguments.of("zero delta", "{\"sku\":\"TR-RUN-42-BLU\",\"delta\":0,\"reason\":\"correction\"}", "line 1: /delta", "must not be 0"),
                Arguments.of("fractional delta", "{\"sku\":\"TR-RUN-42-BLU\",\"delta\":1.5,\"reason\":\"restock\"}", "line 1: /delta", "whole number"),
                Arguments.of("restock negative", "{\"sku\":\"TR-RUN-42-BLU\",\"delta\":-3,\"reason\":\"restock\"}", "line 1: /delta", "needs a positive delta"),
                Arguments.of("shrinkage positive", "{\"sku\":\"TR-RUN-42-BLU\",\"delta\":3,\"reason\":\"shrinkage\"}", "line 1: /delta", "needs a negative delta"),
                Arguments.of("delta too big", "{\"sku\":\"TR-RUN-42-BLU\",\"delta\":10000000,\"reason\":\"restock\"}", "line 1: /delta", "above the maximum"),
                Arguments.of("unknown reason", "{\"sku\":\"TR-RUN-42-BLU\",\"delta\":3,\"reason\":\"gift\"}", "line 1: /reason", "is not one of restock"),
                Arguments.of("bad sku", "{\"sku\":\"no spaces\",\"delta\":3,\"reason\":\"restock\"}", "line 1: /sku", "is invalid"),
                Arguments.of("unknown field", "{\"sku\":\"TR-RUN-42-BLU\",\"delta\":3,\"reason\":\"restock\",\"by\":\"bob\"}", "line 1: /by", "unknown field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void rejectsTheWholeFileNamingEachBadLine(String caseName, String text, String location, String message) {
        Parsed<List<StockAdjustment>> parsed = parse(text);

        assertThat(errorsOf(parsed)).as(caseName).anySatisfy(error -> {
            assertThat(error.location()).startsWith(location);
            assertThat(error.message()).contains(message);
        });
    }

    @Test
    void reportsEveryBadLineNotJustTheFirst() {
        Parsed<List<StockAdjustment>> parsed = parse("""
                {"sku":"TR-RUN-42-BLU","delta":0,"reason":"restock"}
                {"sku":"TR-RUN-42-BLU","delta":1,"reason":"restock"}
                not json
                """);

        assertThat(errorsOf(parsed)).extracting(e -> e.location().substring(0, 6))
                .containsExactly("line 1", "line 3");
    }

    @Test
    void rejectsNonUtf8() {
        Parsed<List<StockAdjustment>> parsed = StockFileParser.parse(new byte[] {'{', (byte) 0xFF, '}'});

        assertThat(errorsOf(parsed).getFirst().message()).isEqualTo("the file is not valid UTF-8");
    }
}
