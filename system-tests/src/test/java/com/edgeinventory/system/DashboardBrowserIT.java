package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.edgeinventory.cli.dashboard.DashboardServer;
import com.edgeinventory.cli.dashboard.StubAnalyticsApi;
import com.edgeinventory.testing.BrowserSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The dashboard in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) against a stub
 * analytics API with known data: the charts are drawn, and every number on the page (stock table, bar chart,
 * alerts, sales lines, freshness) equals the API's answer. Keeps a screenshot in
 * {@code target/dashboard-screenshots/dashboard.png}. Chromium comes from {@link BrowserSupport} (installed
 * with apt when missing and the user may).
 */
class DashboardBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The page's palette: the first two regions' colours. */
    private static final int[] EU_COLOR = {0x1f, 0x77, 0xb4};
    private static final int[] US_COLOR = {0xff, 0x7f, 0x0e};

    private final List<String> serverLog = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private StubAnalyticsApi api;
    private DashboardServer dashboard;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        BrowserSupport.Chromium chromium = BrowserSupport.Chromium.find();
        api = StubAnalyticsApi.withSampleData();
        dashboard = DashboardServer.start(0, api.url(), "us-east-2", serverLog::add);
        browser = chromium.headless(1400, 1500);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (api != null) {
            api.close();
        }
        http.close();
    }

    @Test
    void chartsRenderAndShowTheAnalyticsApisNumbers() throws Exception {
        try {
            // It refreshes itself: a change in the API shows up without reloading.
            browser.get(dashboard.url() + "?refresh=1");
            waitForRefreshes(1);
            api.available.get("eu-west-1").put("TR-RUN-42-BLU", 7L);
            new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
                    .until(b -> "7".equals(stockCell("TR-RUN-42-BLU", "eu-west-1").getDomAttribute("data-value")));
            int before = refreshes();
            waitForRefreshes(before + 1);

            // The numbers, read from a page that holds still (?refresh=0: no timer re-rendering under the test).
            browser.get(dashboard.url() + "?refresh=0");
            waitForRefreshes(1);
            Path screenshot = screenshot("dashboard.png");
            System.out.println("Dashboard screenshot: " + screenshot);
            List<String> signatures = List.copyOf(api.authorizations);

            assertThat(browser.findElement(By.tagName("body")).getDomAttribute("data-state")).isEqualTo("ready");
            assertThat(browser.findElement(By.cssSelector("[data-testid=errors]")).isDisplayed()).isFalse();
            assertFreshness();
            assertStock();
            assertAlerts(10);
            assertSales();
            assertPerformanceAndBehaviour();
            assertThat(signatures).hasSizeGreaterThan(2 * (1 + 2 + 14)).allSatisfy(a -> assertThat(a)
                    .matches("AWS4-HMAC-SHA256 Credential=test/\\d{8}/us-east-2/execute-api/aws4_request, .*"));

            // The alert threshold is editable; the alerts follow at once.
            WebElement threshold = browser.findElement(By.cssSelector("[data-testid=alert-threshold]"));
            threshold.clear();
            threshold.sendKeys("4");
            assertAlerts(4);
            assertThat(serverLog).isEmpty();
        } catch (AssertionError | RuntimeException e) {
            Path failure = screenshot("dashboard-failure.png");
            System.out.println("Dashboard screenshot at the failure: " + failure);
            browser.manage().logs().get(LogType.BROWSER).forEach(entry -> System.out.println("browser: " + entry));
            throw e;
        }
    }

    private void assertFreshness() throws Exception {
        JsonNode items = apiGet("/analytics/freshness").get("items");
        List<WebElement> rows = browser.findElements(By.cssSelector("[data-testid=freshness-row]"));
        assertThat(rows).hasSize(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            WebElement row = rows.get(i);
            long lag = item.get("lagSeconds").asLong();
            assertThat(row.getDomAttribute("data-region")).isEqualTo(item.get("region").asText());
            WebElement cell = row.findElement(By.cssSelector("[data-testid=freshness-lag]"));
            assertThat(cell.getDomAttribute("data-value")).isEqualTo(Long.toString(lag));
            assertThat(cell.getText()).isEqualTo(lag + " s");
            assertThat(row.findElement(By.cssSelector("[data-testid=freshness-newest]")).getText())
                    .isEqualTo(item.get("newestEventAt").asText());
            assertThat(row.getDomAttribute("data-stale")).isEqualTo(Boolean.toString(lag > 60));
            assertThat(row.getDomAttribute("class")).isEqualTo(lag > 60 ? "stale" : "fresh");
        }
        assertThat(rows).extracting(r -> r.getDomAttribute("data-stale")).containsExactly("false", "true");
    }

    /** The stock table, the bar chart's data and its legend all equal every region's low-stock answer. */
    private void assertStock() throws Exception {
        Map<String, Long> expected = new HashMap<>();
        for (String region : regions()) {
            for (JsonNode item : apiGet("/analytics/low-stock?region=" + region + "&threshold=1000000000&limit=1000")
                    .get("items")) {
                expected.put(item.get("sku").asText() + "@" + region, item.get("available").asLong());
            }
        }
        assertThat(expected).hasSize(8).containsEntry("TR-RUN-42-BLU@eu-west-1", 7L);

        Map<String, Long> table = new HashMap<>();
        for (WebElement cell : browser.findElements(By.cssSelector("[data-testid=stock-cell]"))) {
            String value = cell.getDomAttribute("data-value");
            if (value.isEmpty()) {
                assertThat(cell.getText()).isEqualTo("—");
            } else {
                assertThat(cell.getText()).isEqualTo(String.format("%,d", Long.parseLong(value)));
                table.put(cell.getDomAttribute("data-sku") + "@" + cell.getDomAttribute("data-region"),
                        Long.parseLong(value));
            }
        }
        assertThat(table).isEqualTo(expected);
        assertThat(browser.findElements(By.cssSelector("[data-testid=stock-cell]"))).hasSize(5 * 2);

        assertThat(values("stock-chart-value", e -> e.getDomAttribute("data-sku") + "@" + e.getDomAttribute("data-region")))
                .isEqualTo(expected);
        Map<String, Long> plotted = new HashMap<>();
        Map<String, Object> chart = chartData("stock-chart");
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) chart.get("labels");
        assertThat(labels).containsExactly("BAG-DAY-20L", "CAP-SUN-BLK", "JK-RAIN-M-GRN", "SKU-LOW-A", "TR-RUN-42-BLU");
        forEachDataset(chart, (region, data) -> {
            for (int i = 0; i < labels.size(); i++) {
                if (data.get(i) != null) {
                    plotted.put(labels.get(i) + "@" + region, ((Number) data.get(i)).longValue());
                }
            }
        });
        assertThat(plotted).isEqualTo(expected);
        assertDrawn("stock-chart", 500);
    }

    /** The alerts are the levels of every region below the threshold, as the API's low-stock answers them. */
    private void assertAlerts(int threshold) throws Exception {
        List<String> expected = new ArrayList<>();
        for (String region : regions()) {
            for (JsonNode item : apiGet("/analytics/low-stock?region=" + region + "&threshold=" + threshold)
                    .get("items")) {
                expected.add(item.get("sku").asText() + "@" + region + "=" + item.get("available").asLong());
            }
        }
        assertThat(expected).isNotEmpty();
        new WebDriverWait(browser, WAIT).until(b -> alerts().size() == expected.size());
        assertThat(alerts()).containsExactlyInAnyOrderElementsOf(expected);
        List<Long> order = browser.findElements(By.cssSelector("[data-testid=alert]")).stream()
                .map(e -> Long.parseLong(e.getDomAttribute("data-value"))).toList();
        assertThat(order).isSorted();
        assertThat(browser.findElement(By.cssSelector("[data-testid=alert-count]")).getDomAttribute("data-value"))
                .isEqualTo(Integer.toString(expected.size()));
    }

    private List<String> alerts() {
        return browser.findElements(By.cssSelector("[data-testid=alert]")).stream()
                .map(e -> e.getDomAttribute("data-sku") + "@" + e.getDomAttribute("data-region") + "="
                        + e.getDomAttribute("data-value"))
                .toList();
    }

    /** Per region and day, the units equal the sum of qty in the API's top-sellers of that day. */
    private void assertSales() throws Exception {
        Map<String, Long> legend = values("sales-chart-value",
                e -> e.getDomAttribute("data-day") + "@" + e.getDomAttribute("data-region"));
        assertThat(legend).hasSize(14 * 2);
        Map<String, Long> expected = new HashMap<>();
        for (String key : legend.keySet()) {
            String day = key.substring(0, key.indexOf('@'));
            String region = key.substring(key.indexOf('@') + 1);
            long units = 0;
            for (JsonNode item : apiGet("/analytics/top-sellers?region=" + region + "&from=" + day + "&to=" + day
                    + "&limit=100").get("items")) {
                units += item.get("qty").asLong();
            }
            expected.put(key, units);
        }
        assertThat(legend).isEqualTo(expected);
        assertThat(expected.values()).anyMatch(v -> v > 0).contains(0L);

        Map<String, Object> chart = chartData("sales-chart");
        @SuppressWarnings("unchecked")
        List<String> days = (List<String>) chart.get("labels");
        assertThat(days).hasSize(14).isSorted();
        assertThat(java.time.LocalDate.parse(days.getLast()))
                .isBetween(java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1),
                        java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        Map<String, Long> plotted = new HashMap<>();
        forEachDataset(chart, (region, data) -> {
            for (int i = 0; i < days.size(); i++) {
                plotted.put(days.get(i) + "@" + region, ((Number) data.get(i)).longValue());
            }
        });
        assertThat(plotted).isEqualTo(expected);

        for (WebElement total : browser.findElements(By.cssSelector("[data-testid=sales-total]"))) {
            String region = total.getDomAttribute("data-region");
            long sum = expected.entrySet().stream().filter(e -> e.getKey().endsWith("@" + region))
                    .mapToLong(Map.Entry::getValue).sum();
            assertThat(total.getDomAttribute("data-value")).isEqualTo(Long.toString(sum));
        }
        assertDrawn("sales-chart", 100);
    }

    /** The two tables show the API's rows: every store and region subtotal, every region's buyers and mix. */
    private void assertPerformanceAndBehaviour() throws Exception {
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String from = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(13).toString();
        JsonNode performance = apiGet("/analytics/regional-performance?from=" + from + "&to=" + today);
        List<String> expected = new java.util.ArrayList<>();
        for (JsonNode row : performance.get("items")) {
            expected.add(row.get("region").asText() + "/" + row.get("store").asText() + " " + row.get("baskets").asLong()
                    + " " + row.get("units").asLong() + " "
                    + row.get("unitsPerBasket").decimalValue().stripTrailingZeros().toPlainString());
        }
        List<String> shown = browser.findElements(By.cssSelector("[data-testid=performance-row]")).stream()
                .map(r -> r.getDomAttribute("data-region") + "/" + r.getDomAttribute("data-store") + " "
                        + r.findElement(By.cssSelector("[data-testid=performance-baskets]")).getDomAttribute("data-value")
                        + " " + r.findElement(By.cssSelector("[data-testid=performance-units]")).getDomAttribute("data-value")
                        + " " + new java.math.BigDecimal(r.findElement(By.cssSelector("[data-testid=performance-upb]"))
                                .getDomAttribute("data-value")).stripTrailingZeros().toPlainString())
                .toList();
        assertThat(shown).hasSize(5).isEqualTo(expected);
        assertThat(browser.findElement(By.cssSelector("[data-testid=performance-row][data-store=STORE-A] "
                + "[data-testid=performance-revenue]")).getText()).isEqualTo("3146.50 EUR");

        JsonNode behaviour = apiGet("/analytics/customer-behaviour?from=" + from + "&to=" + today);
        for (JsonNode row : behaviour.get("items")) {
            WebElement tr = browser.findElement(By.cssSelector("[data-testid=behaviour-row][data-region="
                    + row.get("region").asText() + "]"));
            for (String column : List.of("baskets", "new", "returning", "anonymous")) {
                assertThat(tr.findElement(By.cssSelector("[data-testid=behaviour-" + column + "]"))
                        .getDomAttribute("data-value")).as(row.get("region") + " " + column)
                        .isEqualTo(row.get(column).asText());
            }
            assertThat(tr.findElement(By.cssSelector("[data-testid=behaviour-share]")).getText())
                    .isEqualTo(row.get("returningShare").isNull() ? "—"
                            : String.format(java.util.Locale.ROOT, "%.1f %%", row.get("returningShare").asDouble() * 100));
        }
        assertThat(browser.findElement(By.cssSelector("[data-testid=behaviour-row][data-region=eu-west-1] "
                + "[data-testid=behaviour-categories]")).getText()).isEqualTo("running-shoes 60, jackets 20");
        assertThat(browser.findElement(By.cssSelector("[data-testid=behaviour-row][data-region=eu-west-1] "
                + "[data-testid=behaviour-sizes]")).getText()).isEqualTo("42 35, 44 25, M 20");

        JsonNode lost = apiGet("/analytics/lost-demand?from=" + from + "&to=" + today + "&limit=10");
        List<String> lostExpected = new java.util.ArrayList<>();
        lost.get("items").forEach(row -> lostExpected.add(row.get("region").asText() + " " + row.get("sku").asText()
                + " " + row.get("refusedUnits").asLong() + " " + row.get("refusals").asLong() + " "
                + row.get("offered").asLong() + " " + row.get("alternativesBought").asLong()));
        List<String> lostShown = browser.findElements(By.cssSelector("[data-testid=lost-row]")).stream()
                .map(r -> r.getDomAttribute("data-region") + " " + r.getDomAttribute("data-sku") + " "
                        + r.findElement(By.cssSelector("[data-testid=lost-units]")).getDomAttribute("data-value") + " "
                        + r.findElement(By.cssSelector("[data-testid=lost-refusals]")).getDomAttribute("data-value")
                        + " " + r.findElement(By.cssSelector("[data-testid=lost-offered]")).getDomAttribute("data-value")
                        + " " + r.findElement(By.cssSelector("[data-testid=lost-alternatives-bought]"))
                        .getDomAttribute("data-value"))
                .toList();
        assertThat(lostShown).hasSize(2).isEqualTo(lostExpected);

        // The forecast panel shows the most refused sku's forecast by default.
        String sku = lost.get("items").get(0).get("sku").asText();
        assertThat(browser.findElement(By.cssSelector("[data-testid=forecast]")).getDomAttribute("data-sku"))
                .isEqualTo(sku);
        JsonNode forecast = apiGet("/analytics/forecast/" + sku + "?days=7&leadTime=7&history=28");
        for (JsonNode row : forecast.get("items")) {
            WebElement tr = browser.findElement(By.cssSelector("[data-testid=forecast-row][data-region="
                    + row.get("region").asText() + "]"));
            assertThat(new java.math.BigDecimal(tr.findElement(By.cssSelector("[data-testid=forecast-units]"))
                    .getDomAttribute("data-value"))).isEqualByComparingTo(row.get("forecastUnits").decimalValue());
            assertThat(tr.findElement(By.cssSelector("[data-testid=forecast-reorder]")).getDomAttribute("data-value"))
                    .isEqualTo(row.get("reorderUnits").asText());
            assertThat(tr.findElement(By.cssSelector("[data-testid=forecast-cover]")).getText())
                    .isEqualTo(row.get("daysOfCover").isNull() ? "—" : row.get("daysOfCover").asText());
        }
    }

    /** The canvas holds pixels of both regions' colours: the bars or lines were drawn. */
    private void assertDrawn(String testId, int minPixelsPerRegion) {
        @SuppressWarnings("unchecked")
        List<Number> counts = (List<Number>) ((JavascriptExecutor) browser).executeScript("""
                const canvas = document.querySelector(`[data-testid=${arguments[0]}]`);
                const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                const [a, b] = [arguments[1], arguments[2]];
                let painted = 0, first = 0, second = 0;
                for (let i = 0; i < px.length; i += 4) {
                  if (px[i + 3] === 0) continue;
                  painted++;
                  if (px[i] === a[0] && px[i + 1] === a[1] && px[i + 2] === a[2]) first++;
                  if (px[i] === b[0] && px[i + 1] === b[1] && px[i + 2] === b[2]) second++;
                }
                return [canvas.width, canvas.height, painted, first, second];
                """, testId, List.of(EU_COLOR[0], EU_COLOR[1], EU_COLOR[2]), List.of(US_COLOR[0], US_COLOR[1], US_COLOR[2]));
        assertThat(counts.get(0).intValue()).as("%s width", testId).isGreaterThan(300);
        assertThat(counts.get(1).intValue()).as("%s height", testId).isGreaterThan(150);
        assertThat(counts.get(2).intValue()).as("%s painted pixels", testId).isGreaterThan(1000);
        assertThat(counts.get(3).intValue()).as("%s pixels of eu-west-1's colour", testId)
                .isGreaterThan(minPixelsPerRegion);
        assertThat(counts.get(4).intValue()).as("%s pixels of us-east-1's colour", testId)
                .isGreaterThan(minPixelsPerRegion);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> chartData(String testId) {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
                const chart = Chart.getChart(document.querySelector(`[data-testid=${arguments[0]}]`));
                return { labels: chart.data.labels,
                         datasets: chart.data.datasets.map(d => ({ label: d.label, data: d.data })) };
                """, testId);
    }

    @SuppressWarnings("unchecked")
    private static void forEachDataset(Map<String, Object> chart,
            java.util.function.BiConsumer<String, List<Object>> action) {
        for (Object ds : (List<Object>) chart.get("datasets")) {
            Map<String, Object> dataset = (Map<String, Object>) ds;
            action.accept((String) dataset.get("label"), (List<Object>) dataset.get("data"));
        }
    }

    private Map<String, Long> values(String testId, java.util.function.Function<WebElement, String> key) {
        Map<String, Long> values = new HashMap<>();
        for (WebElement e : browser.findElements(By.cssSelector("[data-testid=" + testId + "]"))) {
            assertThat(values.put(key.apply(e), Long.parseLong(e.getDomAttribute("data-value")))).isNull();
        }
        return values;
    }

    private WebElement stockCell(String sku, String region) {
        return browser.findElement(By.cssSelector(
                "[data-testid=stock-cell][data-sku='" + sku + "'][data-region='" + region + "']"));
    }

    private List<String> regions() throws Exception {
        List<String> regions = new ArrayList<>();
        apiGet("/analytics/freshness").get("items").forEach(i -> regions.add(i.get("region").asText()));
        assertThat(regions).containsExactly("eu-west-1", "us-east-1");
        return regions;
    }

    /** The analytics API's answer, asked directly (not through the dashboard). */
    private JsonNode apiGet(String pathAndQuery) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api.url() + pathAndQuery))
                .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(pathAndQuery).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private int refreshes() {
        return Integer.parseInt(browser.findElement(By.tagName("body")).getDomAttribute("data-refreshes"));
    }

    private void waitForRefreshes(int atLeast) {
        new WebDriverWait(browser, WAIT).until(b -> refreshes() >= atLeast);
    }

    private Path screenshot(String name) {
        return BrowserSupport.screenshot(browser, BrowserSupport.screenshotDirectory(), name);
    }
}
