package com.edgeinventory.central.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnalyticsParametersTest {

    static final LocalDate TODAY = LocalDate.parse("2026-11-27");

    static AnalyticsParameters.Parsing parse(AnalyticsRoute route, String sku, String rawQuery) {
        Map<String, String> path = sku == null ? Map.of() : Map.of("sku", sku);
        List<Map.Entry<String, String>> query = AnalyticsRoute.parseQuery(rawQuery).orElseThrow();
        return AnalyticsParameters.parse(route, path, query, TODAY);
    }

    static AnalyticsRequest valid(AnalyticsRoute route, String sku, String rawQuery) {
        AnalyticsParameters.Parsing parsing = parse(route, sku, rawQuery);
        assertThat(parsing).isInstanceOf(AnalyticsParameters.Valid.class);
        return ((AnalyticsParameters.Valid) parsing).request();
    }

    /** Every bad input: the parameter the problem must name (empty: none) and a word its detail must contain. */
    @ParameterizedTest(name = "{0} sku={1} ?{2} -> field {3}")
    @CsvSource(delimiter = '|', nullValues = "null", emptyValue = "", textBlock = """
            # route      | sku              | raw query                               | field     | detail contains
            AVAILABILITY | tr-run-42-blu    | ''                                      | sku       | upper-case
            AVAILABILITY | AB               | ''                                      | sku       | 3-40
            AVAILABILITY | -ABC             | ''                                      | sku       | starting with
            AVAILABILITY | ABC_DEF          | ''                                      | sku       | sku
            AVAILABILITY | A2345678901234567890123456789012345678901 | ''               | sku       | 3-40
            AVAILABILITY | null             | ''                                      | sku       | sku
            AVAILABILITY | TR-RUN-42-BLU    | region=eu-west-1                        | region    | takes none
            AVAILABILITY | TR-RUN-42-BLU    | verbose                                 | verbose   | unknown
            LOW_STOCK    | null             | ''                                      | region    | required
            LOW_STOCK    | null             | threshold=5                             | region    | required
            LOW_STOCK    | null             | region=                                 | region    | AWS region
            LOW_STOCK    | null             | region=EU-WEST-1                        | region    | AWS region
            LOW_STOCK    | null             | region=%23ALL                           | region    | AWS region
            LOW_STOCK    | null             | region=eu-west-1%23x                    | region    | AWS region
            LOW_STOCK    | null             | region=eu-west-1&threshold=-1           | threshold | 0 to 1000000000
            LOW_STOCK    | null             | region=eu-west-1&threshold=1000000001   | threshold | 0 to 1000000000
            LOW_STOCK    | null             | region=eu-west-1&threshold=99999999999  | threshold | whole number
            LOW_STOCK    | null             | region=eu-west-1&threshold=1.5          | threshold | whole number
            LOW_STOCK    | null             | region=eu-west-1&threshold=%2B5         | threshold | whole number
            LOW_STOCK    | null             | region=eu-west-1&threshold=ten          | threshold | whole number
            LOW_STOCK    | null             | region=eu-west-1&threshold=             | threshold | whole number
            LOW_STOCK    | null             | region=eu-west-1&limit=0                | limit     | 1 to 1000
            LOW_STOCK    | null             | region=eu-west-1&limit=1001             | limit     | 1 to 1000
            LOW_STOCK    | null             | region=eu-west-1&limit=+5               | limit     | whole number
            LOW_STOCK    | null             | region=eu-west-1&region=us-east-2       | region    | more than once
            LOW_STOCK    | null             | region=eu-west-1&from=2026-11-01        | from      | unknown
            LOW_STOCK    | null             | region=eu-west-1&Limit=5                | Limit     | unknown
            TOP_SELLERS  | null             | from=2026-11-01                         | region    | required
            TOP_SELLERS  | null             | region=eu-west-1&from=2026-13-01        | from      | YYYY-MM-DD
            TOP_SELLERS  | null             | region=eu-west-1&from=2026-02-30        | from      | YYYY-MM-DD
            TOP_SELLERS  | null             | region=eu-west-1&from=2026-2-3          | from      | YYYY-MM-DD
            TOP_SELLERS  | null             | region=eu-west-1&to=27.11.2026          | to        | YYYY-MM-DD
            TOP_SELLERS  | null             | region=eu-west-1&to=2026-11-27T00:00:00Z | to       | YYYY-MM-DD
            TOP_SELLERS  | null             | region=eu-west-1&to=%2B12026-11-27      | to        | YYYY-MM-DD
            TOP_SELLERS  | null             | region=eu-west-1&from=2026-11-28        | ''        | after
            TOP_SELLERS  | null             | region=eu-west-1&from=2026-11-27&to=2026-11-26 | ''  | after
            TOP_SELLERS  | null             | region=eu-west-1&from=2025-11-26&to=2026-11-27 | ''  | 367 days
            TOP_SELLERS  | null             | region=eu-west-1&limit=0                | limit     | 1 to 100
            TOP_SELLERS  | null             | region=eu-west-1&limit=101              | limit     | 1 to 100
            TOP_SELLERS  | null             | region=eu-west-1&days=7                 | days      | unknown
            VELOCITY     | tr-run           | ''                                      | sku       | upper-case
            VELOCITY     | TR-RUN-42-BLU    | days=0                                  | days      | 1 to 366
            VELOCITY     | TR-RUN-42-BLU    | days=367                                | days      | 1 to 366
            VELOCITY     | TR-RUN-42-BLU    | days=7d                                 | days      | whole number
            VELOCITY     | TR-RUN-42-BLU    | to=yesterday                            | to        | YYYY-MM-DD
            VELOCITY     | TR-RUN-42-BLU    | region=eu_west_1                        | region    | AWS region
            VELOCITY     | TR-RUN-42-BLU    | from=2026-11-01                         | from      | unknown
            VELOCITY     | TR-RUN-42-BLU    | days=7&days=7                           | days      | more than once
            FRESHNESS    | null             | region=eu-west-1                        | region    | takes none
            REGIONAL_PERFORMANCE | null     | region=eu-west-1&from=2026-11-28&to=2026-11-27 | ''  | after
            REGIONAL_PERFORMANCE | null     | limit=5                                 | limit     | unknown
            CUSTOMER_BEHAVIOUR | null       | region=EU                               | region    | AWS region
            LOST_DEMAND  | null             | limit=101                               | limit     | 1 to 100
            LOST_DEMAND  | null             | from=2025-11-26&to=2026-11-27           | ''        | 367 days
            FORECAST     | tr-run           | ''                                      | sku       | upper-case
            FORECAST     | TR-RUN-42-BLU    | days=29                                 | days      | 1 to 28
            FORECAST     | TR-RUN-42-BLU    | leadTime=0                              | leadTime  | 1 to 90
            FORECAST     | TR-RUN-42-BLU    | history=367                             | history   | 1 to 366
            FORECAST     | TR-RUN-42-BLU    | lead-time=7                             | lead-time | unknown
            """)
    void badInputIsInvalidAndNamesTheParameterAtFault(AnalyticsRoute route, String sku, String rawQuery,
                                                      String field, String detail) {
        AnalyticsParameters.Parsing parsing = parse(route, sku, rawQuery);

        assertThat(parsing).isInstanceOf(AnalyticsParameters.Invalid.class);
        AnalyticsParameters.Invalid invalid = (AnalyticsParameters.Invalid) parsing;
        assertThat(invalid.field()).isEqualTo(field.isEmpty() ? null : field);
        assertThat(invalid.detail()).contains(detail);
    }

    @Test
    void controlCharactersAreEscapedAndLongValuesCutInDetails() {
        AnalyticsParameters.Invalid invalid = (AnalyticsParameters.Invalid) parse(AnalyticsRoute.FRESHNESS, null,
                "%00%0A=1");
        assertThat(invalid.field()).isEqualTo("\u0000\n");
        assertThat(invalid.detail()).contains("'\\u0000\\u000a'");

        String longRegion = "x".repeat(500);
        AnalyticsParameters.Invalid tooLong = (AnalyticsParameters.Invalid) parse(AnalyticsRoute.LOW_STOCK, null,
                "region=" + longRegion);
        assertThat(tooLong.field()).isEqualTo("region");
        assertThat(tooLong.detail()).contains("x".repeat(64) + "...").doesNotContain("x".repeat(65));
    }

    @Test
    void defaultsAreResolvedAgainstToday() {
        assertThat(valid(AnalyticsRoute.LOW_STOCK, null, "region=eu-west-1"))
                .isEqualTo(new AnalyticsRequest.LowStock("eu-west-1", 10, 100));
        assertThat(valid(AnalyticsRoute.TOP_SELLERS, null, "region=eu-west-1"))
                .isEqualTo(new AnalyticsRequest.TopSellers("eu-west-1", TODAY, TODAY, 10));
        assertThat(valid(AnalyticsRoute.VELOCITY, "TR-RUN-42-BLU", ""))
                .isEqualTo(new AnalyticsRequest.Velocity("TR-RUN-42-BLU", 7, TODAY, Optional.empty()));
        assertThat(valid(AnalyticsRoute.AVAILABILITY, "TR-RUN-42-BLU", ""))
                .isEqualTo(new AnalyticsRequest.Availability("TR-RUN-42-BLU"));
        assertThat(valid(AnalyticsRoute.FRESHNESS, null, "")).isEqualTo(new AnalyticsRequest.Freshness());
    }

    @Test
    void boundsAreInclusive() {
        assertThat(valid(AnalyticsRoute.LOW_STOCK, null, "region=us-gov-west-1&threshold=0&limit=1"))
                .isEqualTo(new AnalyticsRequest.LowStock("us-gov-west-1", 0, 1));
        assertThat(valid(AnalyticsRoute.LOW_STOCK, null, "limit=1000&threshold=1000000000&region=ap-southeast-3"))
                .isEqualTo(new AnalyticsRequest.LowStock("ap-southeast-3", 1_000_000_000L, 1000));
        // 366 days with both ends included is the longest range
        assertThat(valid(AnalyticsRoute.TOP_SELLERS, null, "region=eu-west-1&from=2025-11-27&to=2026-11-27&limit=100"))
                .isEqualTo(new AnalyticsRequest.TopSellers("eu-west-1", LocalDate.parse("2025-11-27"), TODAY, 100));
        assertThat(valid(AnalyticsRoute.TOP_SELLERS, null, "region=eu-west-1&from=2024-02-29&to=2024-02-29&limit=1"))
                .isEqualTo(new AnalyticsRequest.TopSellers("eu-west-1", LocalDate.parse("2024-02-29"),
                        LocalDate.parse("2024-02-29"), 1));
        assertThat(valid(AnalyticsRoute.VELOCITY, "TR-RUN-42-BLU", "days=366&to=2026-01-31&region=eu-west-1"))
                .isEqualTo(new AnalyticsRequest.Velocity("TR-RUN-42-BLU", 366, LocalDate.parse("2026-01-31"),
                        Optional.of("eu-west-1")));
    }

    @Test
    void paramsEchoTheResolvedValuesInAStableOrder() {
        AnalyticsRequest velocity = valid(AnalyticsRoute.VELOCITY, "TR-RUN-42-BLU", "to=2026-11-20");

        assertThat(velocity.params()).containsExactly(Map.entry("sku", "TR-RUN-42-BLU"), Map.entry("days", 7),
                Map.entry("to", "2026-11-20"), new java.util.AbstractMap.SimpleEntry<>("region", null));
        assertThat(((AnalyticsRequest.Velocity) velocity).from()).isEqualTo(LocalDate.parse("2026-11-14"));
        assertThat(valid(AnalyticsRoute.TOP_SELLERS, null, "region=eu-west-1&from=2026-11-01").params())
                .containsExactly(Map.entry("region", "eu-west-1"), Map.entry("from", "2026-11-01"),
                        Map.entry("to", "2026-11-27"), Map.entry("limit", 10));
    }
}
