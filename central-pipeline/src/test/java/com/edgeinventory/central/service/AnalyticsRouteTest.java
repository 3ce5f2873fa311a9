package com.edgeinventory.central.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalyticsRouteTest {

    @Test
    void pathsMatchTheirRouteWithDecodedPathParameters() {
        assertThat(AnalyticsRoute.ofPath("/analytics/availability/TR-RUN-42-BLU")).contains(
                new AnalyticsRoute.Match(AnalyticsRoute.AVAILABILITY, Map.of("sku", "TR-RUN-42-BLU")));
        assertThat(AnalyticsRoute.ofPath("/analytics/velocity/a%20b")).contains(
                new AnalyticsRoute.Match(AnalyticsRoute.VELOCITY, Map.of("sku", "a b")));
        assertThat(AnalyticsRoute.ofPath("/analytics/freshness"))
                .contains(new AnalyticsRoute.Match(AnalyticsRoute.FRESHNESS, Map.of()));
        assertThat(AnalyticsRoute.ofPath("/analytics/low-stock"))
                .contains(new AnalyticsRoute.Match(AnalyticsRoute.LOW_STOCK, Map.of()));
        assertThat(AnalyticsRoute.ofPath("/analytics/top-sellers"))
                .contains(new AnalyticsRoute.Match(AnalyticsRoute.TOP_SELLERS, Map.of()));
    }

    @Test
    void otherPathsMatchNothing() {
        for (String path : List.of("", "/", "/analytics", "/analytics/", "/analytics/freshness/",
                "/analytics/availability", "/analytics/availability/", "/analytics/availability/A/B",
                "/analytics/availability/%ZZ", "/analytics/availability/%C3", "/v1/stock/TR-RUN-42-BLU",
                "analytics/freshness", "/Analytics/freshness")) {
            assertThat(AnalyticsRoute.ofPath(path)).as(path).isEmpty();
        }
        assertThat(AnalyticsRoute.ofPath(null)).isEmpty();
    }

    @Test
    void routeKeysMatchByTheirPathTemplateWhateverTheMethod() {
        assertThat(AnalyticsRoute.ofRouteKey("GET /analytics/velocity/{sku}")).contains(AnalyticsRoute.VELOCITY);
        assertThat(AnalyticsRoute.ofRouteKey("ANY /analytics/low-stock")).contains(AnalyticsRoute.LOW_STOCK);
        assertThat(AnalyticsRoute.ofRouteKey("$default")).isEmpty();
        assertThat(AnalyticsRoute.ofRouteKey("GET /v1/stock/{sku}")).isEmpty();
        assertThat(AnalyticsRoute.ofRouteKey(null)).isEmpty();
    }

    @Test
    void queryStringsAreSplitAndDecodedInOrder() {
        assertThat(AnalyticsRoute.parseQuery("region=eu-west-1&limit=5&&flag&a+b=c%2Bd%26e"))
                .contains(List.of(Map.entry("region", "eu-west-1"), Map.entry("limit", "5"), Map.entry("flag", ""),
                        Map.entry("a b", "c+d&e")));
        assertThat(AnalyticsRoute.parseQuery("x=%C3%A9")).contains(List.of(Map.entry("x", "\u00e9")));
        assertThat(AnalyticsRoute.parseQuery("")).contains(List.of());
        assertThat(AnalyticsRoute.parseQuery(null)).contains(List.of());
    }

    @Test
    void malformedPercentEncodingIsNoQuery() {
        for (String raw : List.of("x=%", "x=%4", "x=%G1", "%ZZ=1", "x=%C3%28", "x=%FF")) {
            assertThat(AnalyticsRoute.parseQuery(raw)).as(raw).isEqualTo(Optional.empty());
        }
    }
}
