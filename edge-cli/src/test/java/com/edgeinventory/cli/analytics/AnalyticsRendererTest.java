package com.edgeinventory.cli.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.edgeinventory.cli.analytics.AnalyticsRenderer.Format;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

class AnalyticsRendererTest {

    private static final String AVAILABILITY = """
            {"query": "availability", "params": {"sku": "TR-RUN-42-BLU"},
             "columns": ["region", "available", "reserved", "sold", "updatedAt"],
             "items": [
               {"region": "eu-west-1", "available": 3, "reserved": 1, "sold": 12, "updatedAt": "2026-11-27T08:00:00Z"},
               {"region": "us-east-1", "available": 120, "reserved": 0, "sold": 7, "updatedAt": "2026-11-27T09:30:00Z"}
             ],
             "totals": {"region": "ALL", "available": 123, "reserved": 1, "sold": 19}}
            """;

    private static final String TOP_SELLERS = """
            {"query": "top-sellers", "params": {"region": "eu-west-1"},
             "columns": ["sku", "qty", "amounts"],
             "items": [
               {"sku": "TR-RUN-42-BLU", "qty": 2, "amounts": {"EUR": "179.80", "USD": "10.00"}},
               {"sku": "SOCK, \\"WOOL\\"", "qty": 10, "amounts": {"EUR": "50.00"}},
               {"sku": "LINE\\nBREAK", "qty": 1.50, "amounts": {}}
             ]}
            """;

    /** Decimals as sent, as the command reads response bodies. */
    private static final ObjectMapper READER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private static JsonNode body(String json) throws Exception {
        return READER.readTree(json);
    }

    @Test
    void tableAlignsColumnsRightAlignsNumbersAndPutsTotalsLastBelowARule() throws Exception {
        String table = AnalyticsRenderer.render(body(AVAILABILITY), Format.TABLE);

        assertThat(table).isEqualTo("""
                region     available  reserved  sold  updatedAt
                ---------  ---------  --------  ----  --------------------
                eu-west-1          3         1    12  2026-11-27T08:00:00Z
                us-east-1        120         0     7  2026-11-27T09:30:00Z
                ---------  ---------  --------  ----  --------------------
                ALL              123         1    19
                """);
    }

    @Test
    void tableShowsAmountsByCurrencyAndKeepsLinesIntact() throws Exception {
        String table = AnalyticsRenderer.table(body(TOP_SELLERS));

        assertThat(table).isEqualTo("""
                sku             qty  amounts
                -------------  ----  ---------------------
                TR-RUN-42-BLU     2  179.80 EUR, 10.00 USD
                SOCK, "WOOL"     10  50.00 EUR
                LINE BREAK     1.50
                """);
    }

    @Test
    void emptyTableSaysSoAndStillShowsTotals() throws Exception {
        String none = AnalyticsRenderer.table(body("""
                {"query": "low-stock", "columns": ["sku", "available"], "items": []}
                """));
        String noneWithTotals = AnalyticsRenderer.table(body("""
                {"query": "velocity", "columns": ["day", "qty"], "items": [], "totals": {"day": "ALL", "qty": 0}}
                """));

        assertThat(none).isEqualTo("""
                sku  available
                ---  ---------
                (no rows)
                """);
        assertThat(noneWithTotals).isEqualTo("""
                day  qty
                ---  ---
                (no rows)
                ---  ---
                ALL    0
                """);
    }

    @Test
    void missingAndNullCellsAreBlank() throws Exception {
        String table = AnalyticsRenderer.table(body("""
                {"columns": ["region", "atMillis", "age"],
                 "items": [{"region": "eu-west-1", "atMillis": null},
                           {"region": "us-east-1", "atMillis": 5, "age": "1s"}]}
                """));

        assertThat(table).isEqualTo("""
                region     atMillis  age
                ---------  --------  ---
                eu-west-1
                us-east-1         5  1s
                """);
    }

    @Test
    void csvFollowsRfc4180WithTotalsLast() throws Exception {
        String csv = AnalyticsRenderer.render(body(TOP_SELLERS), Format.CSV);
        String totals = AnalyticsRenderer.csv(body(AVAILABILITY));

        assertThat(csv).isEqualTo("sku,qty,amounts\r\n"
                + "TR-RUN-42-BLU,2,179.80 EUR; 10.00 USD\r\n"
                + "\"SOCK, \"\"WOOL\"\"\",10,50.00 EUR\r\n"
                + "\"LINE\nBREAK\",1.50,\r\n");
        assertThat(totals).endsWith("us-east-1,120,0,7,2026-11-27T09:30:00Z\r\nALL,123,1,19,\r\n");
    }

    @Test
    void csvWithoutRowsIsTheHeaderOnly() throws Exception {
        assertThat(AnalyticsRenderer.csv(body("""
                {"columns": ["sku", "available"], "items": []}
                """))).isEqualTo("sku,available\r\n");
    }

    @Test
    void csvFieldQuotesOnlyWhenNeeded() {
        assertThat(AnalyticsRenderer.csvField("plain text")).isEqualTo("plain text");
        assertThat(AnalyticsRenderer.csvField("a,b")).isEqualTo("\"a,b\"");
        assertThat(AnalyticsRenderer.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(AnalyticsRenderer.csvField("cr\rhere")).isEqualTo("\"cr\rhere\"");
        assertThat(AnalyticsRenderer.csvField("")).isEmpty();
    }

    @Test
    void jsonIsTheBodyPrettyPrintedWithDecimalsAsSent() throws Exception {
        String json = AnalyticsRenderer.render(body(TOP_SELLERS), Format.JSON);

        assertThat(json).contains("\n  \"query\" : \"top-sellers\",\n").contains("\"qty\" : 1.50")
                .contains("\"EUR\" : \"179.80\"").endsWith("}\n");
        assertThat(READER.readTree(json)).isEqualTo(body(TOP_SELLERS));
    }

    @Test
    void columnsFallBackToTheMembersWhenTheBodyHasNone() throws Exception {
        String table = AnalyticsRenderer.table(body("""
                {"items": [{"region": "eu-west-1", "atMillis": 1}], "totals": {"region": "ALL", "regions": 1}}
                """));

        assertThat(table.lines().findFirst()).contains("region     atMillis  regions");
    }

    @Test
    void formatsByName() {
        assertThat(Format.named("csv")).contains(Format.CSV);
        assertThat(Format.named("table")).contains(Format.TABLE);
        assertThat(Format.named("JSON")).isEmpty();
        assertThat(Format.named("xml")).isEmpty();
    }
}
