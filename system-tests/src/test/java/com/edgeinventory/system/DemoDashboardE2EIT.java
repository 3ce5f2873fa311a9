package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.edgeinventory.local.template.TemplateResolver;
import com.edgeinventory.testing.BrowserSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The issue's browser test on real data: a short {@code bin/edge-inventory demo --keep} (two edges selling for 20 s,
 * carried to central), then its dashboard in headless Chromium. The charts are drawn, and the page's numbers equal
 * the analytics API's answers, which the test asks itself through the dashboard's own proxy: every sku's level per
 * region (low-stock with the largest threshold), both regions' freshness, and today's units sold per region (the
 * day's top sellers summed). Keeps a screenshot in {@code target/dashboard-screenshots/demo-dashboard.png}. Ctrl-C
 * (SIGTERM) then stops the demo with its status, 0.
 */
class DemoDashboardE2EIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");
    static final String EQUAL = "Central aggregates equal the regional tables: yes";
    static final String DIFFERENT = "Central aggregates equal the regional tables: NO";
    static final Pattern KEPT = Pattern.compile("^(Dashboard|AnalyticsApi|AWS endpoint): (http://\\S+)$");
    /** The page's palette: the first two regions' colours. */
    static final int EU_COLOR = 0x1f77b4;
    static final int US_COLOR = 0xff7f0e;
    static final Duration DEMO_TIMEOUT = Duration.ofMinutes(15);
    static final Duration PAGE_WAIT = Duration.ofMinutes(2);
    static final long STOCK_THRESHOLD = 1_000_000_000L;

    final Path root = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir"))).getParent();
    final Path iamReport = root.resolve("system-tests/target/demo-iam-report.json");
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<String> stdout = new ArrayList<>();
    final StringBuilder stderr = new StringBuilder();
    final List<ProcessHandle> tree = new ArrayList<>();
    Process demo;
    WebDriver browser;

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            tree.addAll(demo.descendants().toList());
            demo.destroyForcibly();
            demo.waitFor(30, TimeUnit.SECONDS);
            for (ProcessHandle p : tree) {
                p.destroyForcibly();
                p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join();
            }
        }
        http.close();
    }

    @Test
    void theDashboardOfAShortDemoDrawsTheAnalyticsApisNumbers() throws Exception {
        BrowserSupport.Chromium chromium = BrowserSupport.Chromium.find();
        Map<String, URI> kept = runTheDemo();
        URI dashboard = kept.get("Dashboard");
        assertThat(kept).containsKeys("Dashboard", "AnalyticsApi", "AWS endpoint");
        assertThat(output()).as("the dashboard's URL, printed once the stack is up")
                .startsWith("Dashboard: " + dashboard + System.lineSeparator());

        browser = chromium.headless(1400, 1500);
        try {
            Path screenshot = checkThePage(dashboard);
            System.out.println("Demo dashboard screenshot: " + screenshot);
        } catch (AssertionError | RuntimeException e) {
            Path failure = BrowserSupport.screenshot(browser, BrowserSupport.screenshotDirectory(),
                    "demo-dashboard-failure.png");
            System.out.println("Demo dashboard screenshot at the failure: " + failure);
            BrowserSupport.consoleLog(browser).forEach(line -> System.out.println("browser: " + line));
            throw e;
        }

        tree.addAll(demo.descendants().toList());
        demo.destroy(); // SIGTERM, as Ctrl-C: the shutdown hook closes the system, then exits with the demo's status
        assertThat(demo.waitFor(2, TimeUnit.MINUTES)).as("the demo stops after SIGTERM").isTrue();
        assertThat(demo.exitValue()).as("exit status (central equals the edges); stderr:%n%s", stderr).isZero();
        for (ProcessHandle p : tree) {
            assertThat(p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join().isAlive())
                    .as("%s outlived the demo", p.info().command().orElse("pid " + p.pid())).isFalse();
        }
        everyPermissionTheTrafficUsedIsNeeded();
    }

    /**
     * The demo ran under IAM enforcement (every call checked against the function's template role) and wrote
     * what each function's traffic was allowed. For each function and each action it used, that role without the
     * action denies the same request, naming the action: the template grants nothing the tests do not exercise
     * by accident, and a removed permission fails here, not in production.
     */
    void everyPermissionTheTrafficUsedIsNeeded() throws Exception {
        assertThat(iamReport).as("the IAM report the demo writes at its end").exists();
        JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(iamReport.toFile());
        Map<String, com.edgeinventory.local.template.ResolvedTemplate> templates = new LinkedHashMap<>();
        List<String> notDenied = new ArrayList<>();
        List<String> exercised = new ArrayList<>();
        report.properties().forEach(entry -> {
            String region = entry.getKey().substring(0, entry.getKey().indexOf('/'));
            String function = entry.getKey().substring(entry.getKey().indexOf('/') + 1);
            var template = templates.computeIfAbsent(region, r -> TemplateResolver.resolve(root.resolve(
                    "template.yaml"), com.edgeinventory.local.template.ResolveOptions.defaults().withRegion(r)
                    .withParameterOverrides(r.equals("us-east-2") ? Map.of("DeploymentRole", "central")
                            : Map.of("DeploymentRole", "edge", "CentralStreamArn",
                            "arn:aws:kinesis:us-east-2:123456789012:stream/edge-inventory-dev-central"))));
            var policy = com.edgeinventory.local.iam.RolePolicies.of(template, template.function(function));
            java.util.Set<String> actions = new java.util.TreeSet<>();
            for (JsonNode check : entry.getValue()) {
                String action = check.path("action").asText();
                String resource = check.path("resource").asText();
                actions.add(action);
                assertThat(policy.evaluate(action, resource).allowed()).as("%s %s on %s in the template", function,
                        action, resource).isTrue();
                var without = policy.withoutAction(action).evaluate(action, resource);
                if (without.allowed() || !without.reason().contains(action)) {
                    notDenied.add(function + " " + action + " on " + resource + ": " + without.reason());
                }
            }
            exercised.add(entry.getKey() + " " + actions);
        });
        System.out.println("IAM, the permissions the demo's traffic needed:" + System.lineSeparator()
                + String.join(System.lineSeparator(), exercised));
        assertThat(notDenied).as("permissions still granted with the action removed").isEmpty();
        assertThat(exercised).as("functions whose real traffic ran under IAM").anyMatch(
                f -> f.startsWith("eu-west-1/TransactionFunction ")).anyMatch(
                f -> f.startsWith("eu-west-1/ProductUploadFunction ")).anyMatch(
                f -> f.startsWith("eu-west-1/StockAdjustmentFunction ")).anyMatch(
                f -> f.startsWith("eu-west-1/DeviceAuthorizerFunction ")).anyMatch(
                f -> f.startsWith("eu-west-1/InventoryStreamForwarder ")).anyMatch(
                f -> f.startsWith("us-east-2/CentralAggregatorFunction ")).anyMatch(
                f -> f.startsWith("us-east-2/AnalyticsQueryFunction "));
    }

    /** Starts the demo and waits for its summary and the --keep lines; returns the printed URLs by name. */
    Map<String, URI> runTheDemo() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/edge-inventory").toString(), "demo",
                "--duration", "20s", "--rate", "4", "--products", "5", "--seed", "11", "--port", "0", "--keep")
                .directory(root.toFile());
        builder.environment().put("EDGE_INVENTORY_NO_BUILD", "1");
        builder.environment().put("EDGE_INVENTORY_IAM_REPORT", iamReport.toString());
        demo = builder.start();
        demo.getOutputStream().close();
        Thread.ofVirtual().start(() -> copy(demo.getErrorStream(), stderr));
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stdout) {
                        stdout.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        long deadline = System.nanoTime() + DEMO_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = lines();
            if (lines.stream().anyMatch(l -> l.startsWith(DIFFERENT))) {
                Thread.sleep(1000); // the differences follow the line
                fail("The demo's central aggregates differ from the edges:%n%s%nstderr:%n%s", output(), stderr);
            }
            int equal = lines.indexOf(EQUAL);
            if (equal >= 0 && lines.subList(equal, lines.size()).contains("Ctrl-C stops it.")) {
                Map<String, URI> kept = new LinkedHashMap<>();
                for (String line : lines.subList(equal, lines.size())) {
                    Matcher m = KEPT.matcher(line);
                    if (m.matches()) {
                        kept.put(m.group(1), URI.create(m.group(2)));
                    }
                }
                return kept;
            }
            if (!demo.isAlive()) {
                Thread.sleep(500);
                fail("The demo ended (status %d) before keeping the system running:%n%s%nstderr:%n%s",
                        demo.exitValue(), output(), stderr);
            }
            Thread.sleep(500);
        }
        return fail("The demo did not finish in %s:%n%s%nstderr:%n%s", DEMO_TIMEOUT, output(), stderr);
    }

    /** Reads the page; the pipeline is idle after the summary, but a scheduled sweep may still move a number. */
    Path checkThePage(URI dashboard) throws Exception {
        for (int attempt = 1; ; attempt++) {
            browser.get(dashboard + "?refresh=0");
            new WebDriverWait(browser, PAGE_WAIT).until(b -> refreshes() >= 1 || "error".equals(state()));
            Path screenshot = BrowserSupport.screenshot(browser, BrowserSupport.screenshotDirectory(),
                    "demo-dashboard.png");
            assertThat(state()).as("the page's state; errors: %s", errorsShown()).isEqualTo("ready");
            Observed page = observe();
            Observed api = askTheApi(dashboard, LocalDate.now(ZoneOffset.UTC).toString());
            if (page.equals(api) || attempt == 3) {
                assertThat(page.stock()).as("stock table and bar chart vs low-stock per region")
                        .isEqualTo(api.stock());
                assertThat(page.sales()).as("units sold today, plotted vs top-sellers summed")
                        .isEqualTo(api.sales());
                assertThat(page.freshness()).as("freshness rows").isEqualTo(api.freshness());
                break;
            }
            Thread.sleep(3000);
        }
        Observed page = observe();
        assertThat(page.freshness()).as("freshness rows").containsExactlyInAnyOrderElementsOf(REGIONS);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        for (String region : REGIONS) {
            assertThat(page.sales()).as("%s sold something today", region)
                    .hasEntrySatisfying(today + "@" + region, units -> assertThat(units).isPositive());
        }
        assertThat(page.stock()).as("every sku of both regions").hasSize(2 * 5);
        // The functions' UnitsSold EMF metric counts each committed purchase once, retries and duplicates not
        // again: it equals the units central counted from the edges' purchases.
        long soldToday = page.sales().entrySet().stream().filter(e -> e.getKey().startsWith(today + "@"))
                .mapToLong(Map.Entry::getValue).sum();
        String metricsLine = lines().stream().filter(l -> l.contains("UnitsSold=")).findFirst()
                .orElseThrow(() -> new AssertionError("no business metrics line in the demo's summary"));
        assertThat(metricsLine).as("the demo's EMF business metrics").containsPattern("UnitsSold=" + soldToday + "(\\s|$)");
        assertThat(metricsLine).as("records forwarded to central and aggregated there")
                .containsPattern("RecordsForwarded=[1-9]").containsPattern("RecordsAggregated=[1-9]")
                .containsPattern("BytesForwarded=[1-9]");

        BrowserSupport.Pixels stock = BrowserSupport.pixels(browser, "stock-chart", EU_COLOR, US_COLOR);
        assertThat(stock.width()).as("stock chart width").isGreaterThan(300);
        assertThat(stock.height()).as("stock chart height").isGreaterThan(150);
        assertThat(stock.painted()).as("stock chart painted pixels").isGreaterThan(1000);
        assertThat(stock.ofColor()).as("stock chart bars of eu-west-1 and us-east-1").allMatch(n -> n > 500);
        BrowserSupport.Pixels sales = BrowserSupport.pixels(browser, "sales-chart", EU_COLOR, US_COLOR);
        assertThat(sales.painted()).as("sales chart painted pixels").isGreaterThan(1000);
        assertThat(sales.ofColor()).as("sales chart lines of eu-west-1 and us-east-1").allMatch(n -> n > 50);
        return BrowserSupport.screenshot(browser, BrowserSupport.screenshotDirectory(), "demo-dashboard.png");
    }

    /** The numbers compared: sku@region levels, today@region units sold, the freshness rows' regions. */
    record Observed(Map<String, Long> stock, Map<String, Long> sales, List<String> freshness) {
    }

    /** What the page shows: the table's cells must equal the bar chart's data, and the sales legend its line. */
    Observed observe() {
        Map<String, Long> table = BrowserSupport.values(browser, "stock-cell",
                e -> e.getDomAttribute("data-sku") + "@" + e.getDomAttribute("data-region"));
        BrowserSupport.ChartData stockChart = BrowserSupport.chartData(browser, "stock-chart");
        assertThat(stockChart.points()).as("the bar chart's data vs the stock table").isEqualTo(table);
        BrowserSupport.ChartData salesChart = BrowserSupport.chartData(browser, "sales-chart");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(salesChart.labels()).as("the sales chart's days end today").isNotEmpty().isSorted()
                .last().isEqualTo(today);
        Map<String, Long> plottedToday = new LinkedHashMap<>();
        salesChart.points().forEach((key, units) -> {
            if (key.startsWith(today + "@")) {
                plottedToday.put(key, units);
            }
        });
        Map<String, Long> legend = BrowserSupport.values(browser, "sales-chart-value",
                e -> e.getDomAttribute("data-day") + "@" + e.getDomAttribute("data-region"));
        assertThat(legend).as("the sales legend vs the line chart").isEqualTo(salesChart.points());
        return new Observed(table, plottedToday, attributes(By.cssSelector("[data-testid=freshness-row]"),
                "data-region"));
    }

    /** The analytics API's answers, fetched through the dashboard's proxy as the page does. */
    Observed askTheApi(URI dashboard, String day) throws Exception {
        List<String> regions = new ArrayList<>();
        get(dashboard, "freshness").path("items").forEach(i -> regions.add(i.path("region").asText()));
        Map<String, Long> stock = new LinkedHashMap<>();
        Map<String, Long> sales = new LinkedHashMap<>();
        for (String region : regions) {
            for (JsonNode item : get(dashboard, "low-stock?region=" + region + "&threshold=" + STOCK_THRESHOLD
                    + "&limit=1000").path("items")) {
                stock.put(item.path("sku").asText() + "@" + region, item.path("available").asLong());
            }
            long units = 0;
            for (JsonNode item : get(dashboard, "top-sellers?region=" + region + "&from=" + day + "&to=" + day
                    + "&limit=100").path("items")) {
                units += item.path("qty").asLong();
            }
            sales.put(day + "@" + region, units);
        }
        return new Observed(stock, sales, regions);
    }

    JsonNode get(URI dashboard, String analyticsPathAndQuery) throws Exception {
        URI uri = dashboard.resolve("/api/analytics/" + analyticsPathAndQuery);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET()
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    List<String> attributes(By selector, String attribute) {
        return browser.findElements(selector).stream().map(e -> e.getDomAttribute(attribute)).toList();
    }

    int refreshes() {
        return Optional.ofNullable(browser.findElement(By.tagName("body")).getDomAttribute("data-refreshes"))
                .map(Integer::parseInt).orElse(0);
    }

    String state() {
        return browser.findElement(By.tagName("body")).getDomAttribute("data-state");
    }

    List<String> errorsShown() {
        return browser.findElements(By.cssSelector("[data-testid=errors] li")).stream().map(WebElement::getText)
                .toList();
    }

    List<String> lines() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    String output() {
        return String.join(System.lineSeparator(), lines()) + System.lineSeparator();
    }

    static void copy(InputStream in, StringBuilder into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (into) {
                    into.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
