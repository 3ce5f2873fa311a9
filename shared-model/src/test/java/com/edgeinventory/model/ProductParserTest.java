package com.edgeinventory.model;

import static com.edgeinventory.model.ParsedAssertions.errorsOf;
import static com.edgeinventory.model.ParsedAssertions.valueOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProductParserTest {

    static final String VALID = """
            {"sku":"TR-RUN-42-BLU","name":"Trail Runner 42","description":"Light trail shoe",
             "category":"running-shoes","price":{"amount":"89.90","currency":"EUR"},
             "size":"42","color":"blue","stock":25,"warehouseId":"WH-MUC-1","styleId":"TR-RUN"}
            """;

    private static Parsed<Product> parse(String json) {
        return ProductParser.parse(json.getBytes(StandardCharsets.UTF_8), "TR-RUN-42-BLU");
    }

    @Test
    void parsesAValidProduct() {
        Parsed<Product> parsed = parse(VALID);

        Product p = valueOf(parsed);
        assertThat(p.sku()).isEqualTo("TR-RUN-42-BLU");
        assertThat(p.price()).isEqualTo(new Money(new BigDecimal("89.90"), "EUR"));
        assertThat(p.price().amountText()).isEqualTo("89.90");
        assertThat(p.stock()).isEqualTo(25);
        assertThat(p.styleId()).isEqualTo("TR-RUN");
    }

    @Test
    void styleIdIsOptional() {
        Parsed<Product> parsed = parse(VALID.replace(",\"styleId\":\"TR-RUN\"", ""));

        assertThat(valueOf(parsed).styleId()).isNull();
    }

    @Test
    void stockShardsDefaultToOneAndAHotSkuNamesMore() {
        assertThat(valueOf(parse(VALID)).stockShards()).isEqualTo(1);
        assertThat(valueOf(parse(VALID.replace("\"stock\":25", "\"stock\":25,\"stockShards\":8"))).stockShards())
                .isEqualTo(8);
    }

    @Test
    void reportsEveryErrorAtOnce() {
        Parsed<Product> parsed = parse(VALID.replace("\"stock\":25", "\"stock\":-1").replace("\"EUR\"", "\"XYZ\""));

        assertThat(errorsOf(parsed)).extracting(ValidationError::location)
                .containsExactlyInAnyOrder("/stock", "/price/currency");
    }

    /** The bad-input table: each row is an input we tried and the error it must produce. */
    static Stream<Arguments> badProducts() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"sku\": ", "line 1, column", "malformed JSON"),
                Arguments.of("not an object", "[1,2]", "/", "expected a JSON object, found an array"),
                Arguments.of("empty document", "", "", "the document is empty"),
                Arguments.of("trailing garbage", VALID + "}", "line", "malformed JSON"),
                Arguments.of("duplicate key", VALID.replace("{\"sku\"", "{\"name\":\"x\",\"sku\""), "line", "Duplicate field 'name'"),
                Arguments.of("missing name", VALID.replace("\"name\":\"Trail Runner 42\",", ""), "/name", "is required"),
                Arguments.of("null name", VALID.replace("\"Trail Runner 42\"", "null"), "/name", "is required"),
                Arguments.of("blank name", VALID.replace("\"Trail Runner 42\"", "\"  \""), "/name", "must not be blank"),
                Arguments.of("over-long name", VALID.replace("Trail Runner 42", "x".repeat(201)), "/name", "201 characters long; the maximum is 200"),
                Arguments.of("over-long description", VALID.replace("Light trail shoe", "d".repeat(4001)), "/description", "the maximum is 4000"),
                Arguments.of("control character", VALID.replace("Trail Runner 42", "Trail\\u0000Runner"), "/name", "control characters"),
                Arguments.of("name is a number", VALID.replace("\"Trail Runner 42\"", "42"), "/name", "must be a string, found the number 42"),
                Arguments.of("sku does not match key", VALID.replace("\"sku\":\"TR-RUN-42-BLU\"", "\"sku\":\"TR-RUN-43-BLU\""), "/sku", "does not match the sku in the object key"),
                Arguments.of("lower-case sku", VALID.replace("\"sku\":\"TR-RUN-42-BLU\"", "\"sku\":\"tr-run-42-blu\""), "/sku", "is invalid"),
                Arguments.of("negative price", VALID.replace("\"89.90\"", "\"-1.00\""), "/price/amount", "is negative"),
                Arguments.of("price as number", VALID.replace("\"89.90\"", "89.90"), "/price/amount", "must be a string"),
                Arguments.of("price not decimal", VALID.replace("\"89.90\"", "\"12,50\""), "/price/amount", "is not a decimal amount"),
                Arguments.of("too many decimals", VALID.replace("\"89.90\"", "\"89.901\""), "/price/amount", "EUR has 2"),
                Arguments.of("JPY decimals", VALID.replace("\"89.90\"", "\"100.5\"").replace("EUR", "JPY"), "/price/amount", "JPY has 0"),
                Arguments.of("price too large", VALID.replace("\"89.90\"", "\"2000000\""), "/price/amount", "above the maximum"),
                Arguments.of("unknown currency", VALID.replace("\"EUR\"", "\"XYZ\""), "/price/currency", "not an ISO 4217 currency"),
                Arguments.of("lower-case currency", VALID.replace("\"EUR\"", "\"eur\""), "/price/currency", "is invalid"),
                Arguments.of("price missing", VALID.replace("\"price\":{\"amount\":\"89.90\",\"currency\":\"EUR\"},", ""), "/price", "is required"),
                Arguments.of("price is a string", VALID.replace("{\"amount\":\"89.90\",\"currency\":\"EUR\"}", "\"89.90 EUR\""), "/price", "must be an object"),
                Arguments.of("unknown price field", VALID.replace("\"currency\":\"EUR\"", "\"currency\":\"EUR\",\"vat\":\"19\""), "/price/vat", "unknown field"),
                Arguments.of("negative stock", VALID.replace("\"stock\":25", "\"stock\":-5"), "/stock", "below the minimum of 0"),
                Arguments.of("fractional stock", VALID.replace("\"stock\":25", "\"stock\":2.5"), "/stock", "must be a whole number"),
                Arguments.of("stock as string", VALID.replace("\"stock\":25", "\"stock\":\"25\""), "/stock", "must be a whole number, found a string"),
                Arguments.of("huge stock", VALID.replace("\"stock\":25", "\"stock\":99999999999999999999999"), "/stock", "above the maximum"),
                Arguments.of("bad category", VALID.replace("running-shoes", "Running Shoes"), "/category", "lower-case"),
                Arguments.of("bad warehouse", VALID.replace("WH-MUC-1", "WH/MUC"), "/warehouseId", "is invalid"),
                Arguments.of("unknown field", VALID.replace("\"size\":\"42\"", "\"size\":\"42\",\"stok\":3"), "/stok", "unknown field"),
                Arguments.of("bad styleId", VALID.replace("\"TR-RUN\"", "\"tr run\""), "/styleId", "is invalid"),
                Arguments.of("zero stock shards", VALID.replace("\"stock\":25", "\"stock\":25,\"stockShards\":0"), "/stockShards", "below the minimum of 1"),
                Arguments.of("too many stock shards", VALID.replace("\"stock\":25", "\"stock\":25,\"stockShards\":33"), "/stockShards", "above the maximum of 32"),
                Arguments.of("stock shards as string", VALID.replace("\"stock\":25", "\"stock\":25,\"stockShards\":\"8\""), "/stockShards", "must be a whole number"),
                Arguments.of("fractional stock shards", VALID.replace("\"stock\":25", "\"stock\":25,\"stockShards\":1.5"), "/stockShards", "must be a whole number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badProducts")
    void rejectsBadInputWithLocationAndMessage(String caseName, String json, String location, String message) {
        Parsed<Product> parsed = parse(json);

        assertThat(errorsOf(parsed)).as(caseName).anySatisfy(error -> {
            assertThat(error.location()).startsWith(location);
            assertThat(error.message()).contains(message);
        });
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bytes = VALID.getBytes(StandardCharsets.UTF_8);
        bytes[20] = (byte) 0xC3;
        bytes[21] = (byte) 0x28;

        Parsed<Product> parsed = ProductParser.parse(bytes, "TR-RUN-42-BLU");

        assertThat(errorsOf(parsed).toString()).contains("UTF-8");
    }

    @Test
    void rejectsOversizedDocumentsBeforeParsing() {
        byte[] big = new byte[ProductParser.MAX_DOCUMENT_BYTES + 1];

        Parsed<Product> parsed = ProductParser.parse(big, "TR-RUN-42-BLU");

        assertThat(errorsOf(parsed).getFirst().message()).contains("the maximum is 65536");
    }
}
