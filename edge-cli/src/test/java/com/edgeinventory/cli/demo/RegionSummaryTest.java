package com.edgeinventory.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The demo's last screen, from central's three answers. */
class RegionSummaryTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void onePairOfLinesPerRegionAndItsLostDemand() throws Exception {
        JsonNode performance = json("{'items':[{'region':'eu-west-1','store':'S1','baskets':3,'units':5,"
                + "'unitsPerBasket':1.67,'amounts':{'EUR':'100.00'}},{'region':'eu-west-1','store':'ALL','baskets':3,"
                + "'units':5,'unitsPerBasket':1.67,'amounts':{'EUR':'100.00'}}]}");
        JsonNode behaviour = json("{'items':[{'region':'eu-west-1','baskets':3,'new':1,'returning':1,'anonymous':1,"
                + "'returningShare':0.5,'categories':{'shoes':4,'socks':1},'sizes':{'42':5}},{'region':'us-east-1',"
                + "'baskets':0,'new':0,'returning':0,'anonymous':0,'returningShare':null,'categories':{},'sizes':{}}]}");
        JsonNode lost = json("{'items':[{'region':'eu-west-1','sku':'DROP-44','refusedUnits':7,'alternativesBought':2},"
                + "{'region':'us-east-1','sku':'SOCK','refusedUnits':2}]}");

        String text = RegionSummary.render(performance, behaviour, lost);

        assertThat(text).contains("eu-west-1      3 baskets in 1 store, 1.67 units/basket, 100.00 EUR")
                .contains("buyers: 1 new, 1 returning, 1 anonymous (returning share 50 %); top categories shoes 4, "
                        + "socks 1; top sizes 42 5")
                .contains("lost demand (units refused): DROP-44 7; alternatives bought instead: 2")
                .contains("us-east-1      0 baskets in 0 stores, - units/basket, no revenue")
                .contains("(returning share -)").contains("lost demand (units refused): SOCK 2; alternatives bought instead: 0");
        assertThat(RegionSummary.render(json("{'items':[]}"), json("{'items':[]}")))
                .contains("no purchase reached central");
    }

    @Test
    void withSimulatedDaysALineOfSalesPerWeekday() throws Exception {
        JsonNode performance = json("{'items':[{'region':'eu-west-1','store':'ALL','baskets':3,'units':5,"
                + "'unitsPerBasket':1.67,'amounts':{'EUR':'100.00'}}]}");
        java.util.Map<java.time.LocalDate, RegionSummary.Day> days = new java.util.TreeMap<>();
        for (int d = 0; d < 14; d++) { // Monday 2026-11-16 to Sunday 2026-11-29
            java.time.LocalDate day = java.time.LocalDate.of(2026, 11, 16).plusDays(d);
            days.put(day, new RegionSummary.Day(d == 2 ? 0L : day.getDayOfWeek().getValue(), d == 13 ? 5 : 0));
        }

        String text = RegionSummary.render(performance, json("{'items':[]}"), json("{'items':[]}"),
                java.util.Map.of("eu-west-1", days));

        assertThat(text).contains("demand per weekday over 14 days (units sold+refused): Mon 2+0, Tue 4+0, Wed 3+0, "
                + "Thu 8+0, Fri 10+0, Sat 12+0, Sun 14+5; 13 days with sales");
        assertThat(RegionSummary.render(performance, json("{'items':[]}"), json("{'items':[]}")))
                .doesNotContain("per weekday");
    }
}
