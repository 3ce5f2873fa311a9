package com.edgeinventory.testing;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for browser tests of the analysts' dashboard: Debian's {@code chromium} and
 * {@code chromium-driver} (no driver download), plus the page readers the tests share (chart data, drawn pixels,
 * {@code data-value}s by {@code data-testid}, screenshots).
 *
 * <p>Selenium is an optional dependency of test-support: a module that uses this class adds
 * {@code org.seleniumhq.selenium:selenium-java} to its own test scope.
 */
public final class BrowserSupport {

    public static final String INSTALL_HINT = "install Debian's chromium and chromium-driver "
            + "(apt-get install -y chromium chromium-driver), or point CHROME_BIN and CHROMEDRIVER at a Chrome and its "
            + "driver (EDGE_SKIP_BROWSER_TESTS=1 skips the browser tests)";

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    private BrowserSupport() {
    }

    /** Chromium and its driver: CHROME_BIN and CHROMEDRIVER, else Debian's, else on the PATH. */
    public record Chromium(Path browser, Path driver) {

        /**
         * Finds them; when either is missing, installs Debian's {@code chromium} and {@code chromium-driver} with apt
         * if this user may (root, or passwordless sudo), as a fresh machine needs for the README's test command.
         * Fails the test with one line naming the packages when it can do neither; with
         * {@code EDGE_SKIP_BROWSER_TESTS=1} aborts (skips) it instead, on request only.
         */
        public static Chromium find() {
            Optional<Chromium> found = locate();
            if (found.isPresent()) {
                return found.get();
            }
            if ("1".equals(System.getenv("EDGE_SKIP_BROWSER_TESTS"))) {
                Assumptions.abort("chromium or chromedriver is missing and EDGE_SKIP_BROWSER_TESTS=1: browser test "
                        + "skipped");
            }
            String failure = Installer.install();
            found = locate();
            if (found.isPresent()) {
                return found.get();
            }
            return Assertions.fail("The browser tests need headless Chromium and its driver, which are missing ("
                    + failure + "): " + INSTALL_HINT);
        }

        private static Optional<Chromium> locate() {
            Optional<Path> browser = executable("CHROME_BIN", "chromium", "chromium-browser", "google-chrome");
            Optional<Path> driver = executable("CHROMEDRIVER", "chromedriver");
            return browser.isPresent() && driver.isPresent()
                    ? Optional.of(new Chromium(browser.get(), driver.get())) : Optional.empty();
        }

        /** A headless browser of {@code width} x {@code height} CSS pixels at scale 1, keeping the console log. */
        public ChromeDriver headless(int width, int height) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(browser.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=" + width + "," + height, "--hide-scrollbars", "--force-device-scale-factor=1");
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(driver.toFile()).usingAnyFreePort().build();
            return new ChromeDriver(service, options);
        }

        private static Optional<Path> executable(String variable, String... names) {
            String configured = System.getenv(variable);
            if (configured != null && !configured.isBlank()) {
                Path path = Path.of(configured);
                return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
            }
            List<Path> dirs = new ArrayList<>(List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin")));
            Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .filter(s -> !s.isBlank()).map(Path::of).forEach(dirs::add);
            for (String name : names) {
                for (Path dir : dirs) {
                    Path candidate = dir.resolve(name);
                    if (Files.isExecutable(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Installs Debian's {@code chromium} and {@code chromium-driver} with apt, once per machine at a time (a file lock
     * serializes test JVMs that need it together). Root runs apt-get itself; another user needs passwordless sudo.
     */
    static final class Installer {

        private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"),
                "edge-inventory-chromium-install.lock");

        private Installer() {
        }

        /** Installs the packages; returns why it could not, or "installed but not found" when apt said yes. */
        static String install() {
            List<String> prefix;
            if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
                return "no apt-get on this machine";
            } else if ("0".equals(output("id", "-u"))) {
                prefix = List.of();
            } else if (run(List.of("sudo", "-n", "true"), null) == 0) {
                prefix = List.of("sudo", "-n");
            } else {
                return "not root and no passwordless sudo, so they cannot be installed here";
            }
            try (FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                if (Chromium.locate().isPresent()) {
                    return "installed meanwhile";
                }
                Path log = Files.createTempFile("chromium-install", ".log");
                System.out.println("Installing Debian's chromium and chromium-driver for the browser tests (apt-get, "
                        + "log in " + log + ")");
                for (List<String> command : List.of(List.of("apt-get", "update"),
                        List.of("apt-get", "install", "-y", "chromium", "chromium-driver"))) {
                    List<String> full = new ArrayList<>(prefix);
                    full.addAll(command);
                    int exit = run(full, log);
                    if (exit != 0) {
                        return String.join(" ", full) + " exited with " + exit + ", see " + log;
                    }
                }
                return "installed but not found on the PATH";
            } catch (IOException e) {
                return "the install failed: " + e.getMessage();
            }
        }

        private static int run(List<String> command, Path log) {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                    new File("/dev/null")));
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            if (log == null) {
                builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            } else {
                builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            }
            try {
                Process process = builder.start();
                if (!process.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return -1;
                }
                return process.exitValue();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        private static String output(String... command) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                return process.waitFor() == 0 ? out : "";
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
    }

    /** What a canvas holds: its size, the pixels painted at all, and the pixels of each asked colour exactly. */
    public record Pixels(int width, int height, int painted, List<Integer> ofColor) {
    }

    /** Counts the canvas {@code [data-testid=testId]}'s pixels; {@code colors} as {@code 0xRRGGBB}. */
    public static Pixels pixels(WebDriver browser, String testId, int... colors) {
        List<List<Integer>> rgb = new ArrayList<>();
        for (int c : colors) {
            rgb.add(List.of(c >> 16 & 0xff, c >> 8 & 0xff, c & 0xff));
        }
        @SuppressWarnings("unchecked")
        List<Number> counts = (List<Number>) ((JavascriptExecutor) browser).executeScript("""
                const canvas = document.querySelector(`[data-testid=${arguments[0]}]`);
                const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                const colors = arguments[1];
                const counts = colors.map(() => 0);
                let painted = 0;
                for (let i = 0; i < px.length; i += 4) {
                  if (px[i + 3] === 0) continue;
                  painted++;
                  colors.forEach((c, k) => {
                    if (px[i] === c[0] && px[i + 1] === c[1] && px[i + 2] === c[2]) counts[k]++;
                  });
                }
                return [canvas.width, canvas.height, painted, ...counts];
                """, testId, rgb);
        return new Pixels(counts.get(0).intValue(), counts.get(1).intValue(), counts.get(2).intValue(),
                counts.subList(3, counts.size()).stream().map(Number::intValue).toList());
    }

    /** A Chart.js chart's labels and datasets ({@code label}, {@code data}), as the page holds them. */
    public record ChartData(List<String> labels, Map<String, List<Object>> datasets) {

        /** Every non-null point as {@code label@dataset} (e.g. {@code sku@region}) to its value. */
        public Map<String, Long> points() {
            Map<String, Long> points = new LinkedHashMap<>();
            datasets.forEach((dataset, data) -> {
                for (int i = 0; i < labels.size() && i < data.size(); i++) {
                    if (data.get(i) != null) {
                        points.put(labels.get(i) + "@" + dataset, ((Number) data.get(i)).longValue());
                    }
                }
            });
            return points;
        }
    }

    @SuppressWarnings("unchecked")
    public static ChartData chartData(WebDriver browser, String testId) {
        Map<String, Object> chart = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
                const chart = Chart.getChart(document.querySelector(`[data-testid=${arguments[0]}]`));
                return { labels: chart.data.labels,
                         datasets: chart.data.datasets.map(d => ({ label: d.label, data: d.data })) };
                """, testId);
        Map<String, List<Object>> datasets = new LinkedHashMap<>();
        for (Object ds : (List<Object>) chart.get("datasets")) {
            Map<String, Object> dataset = (Map<String, Object>) ds;
            datasets.put((String) dataset.get("label"), (List<Object>) dataset.get("data"));
        }
        return new ChartData(List.copyOf((List<String>) chart.get("labels")), datasets);
    }

    /**
     * The {@code data-value}s of the elements {@code [data-testid=testId]}, by {@code key}; elements with an empty
     * value are left out. Two elements with the same key are an error.
     */
    public static Map<String, Long> values(WebDriver browser, String testId, Function<WebElement, String> key) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (WebElement e : browser.findElements(By.cssSelector("[data-testid=" + testId + "]"))) {
            String value = e.getDomAttribute("data-value");
            if (value == null || value.isEmpty()) {
                continue;
            }
            String k = key.apply(e);
            if (values.put(k, Long.parseLong(value)) != null) {
                throw new IllegalStateException("two " + testId + " elements for " + k);
            }
        }
        return values;
    }

    /** Saves a screenshot of the page as {@code dir/name} and returns its path. */
    public static Path screenshot(WebDriver browser, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Path target = dir.resolve(name).toAbsolutePath().normalize();
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot save the screenshot " + name + " in " + dir, e);
        }
    }

    /** The module's {@code target/dashboard-screenshots}, where the browser tests keep their screenshots. */
    public static Path screenshotDirectory() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize()
                .resolve("target/dashboard-screenshots");
    }

    /** The browser's console, one line an entry, for a failure's report. */
    public static List<String> consoleLog(WebDriver browser) {
        List<String> lines = new ArrayList<>();
        browser.manage().logs().get(LogType.BROWSER).forEach(entry -> lines.add(entry.toString()));
        return lines;
    }
}
