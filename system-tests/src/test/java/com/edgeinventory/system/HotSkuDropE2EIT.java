package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.template.TemplateResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sneaker drop through the whole local system, as a user starts it ({@code demo --hot-sku}): the warehouses
 * upload a product whose stock is spread over 8 items (and a second delivery mid-run, spread by the stock-file
 * function), every device of both regions buys only it, faster than it lasts, under IAM enforcement and emulated
 * transaction conflicts. It must sell out to exactly its stock in each
 * region, every unit sold confirmed to a device and none oversold, with central equal to the edges.
 */
class HotSkuDropE2EIT {

    static final Path ROOT = TemplateResolver.findTemplate(Path.of("").toAbsolutePath()).getParent();
    static final Pattern REGION = Pattern.compile(
            "(?m)^  (\\S+)\\s+stocked (\\d+), sold (\\d+) \\(devices confirmed (\\d+)\\), reserved (\\d+), available (\\d+), "
                    + "oversold (\\d+)$");

    @Test
    void aDropSellsItsStockAndNotOneUnitMore(@TempDir Path dir) throws Exception {
        Launcher.Run run = new Launcher(ROOT).run("demo", "--hot-sku", "DROP-E2E-44", "--hot-sku-shards", "8",
                "--hot-sku-stock", "120", "--products", "3", "--rate", "60", "--duration", "15s", "--seed", "11",
                "--mix", "stock=0.05,sale=0.5,abandon=0,cancel=0.1", "--usage", dir.resolve("usage.json").toString());

        assertThat(run.exitCode()).as("exit status; stdout:%n%s%nstderr tail:%n%s", run.stdout(),
                tail(run.stderr())).isZero();
        assertThat(run.stdout()).containsPattern("Personal data in the \\d+ records \\(\\d+ bytes\\) central received: none")
                .contains("lost demand (units refused): DROP-E2E-44");
        assertThat(run.stdout()).contains("Hot sku DROP-E2E-44, stock in 8 shards per region:")
                .contains("Central aggregates equal the regional tables: yes").doesNotContain("DOES NOT ADD UP");
        Matcher m = REGION.matcher(run.stdout());
        int regions = 0;
        while (m.find()) {
            regions++;
            long stocked = Long.parseLong(m.group(2));
            long sold = Long.parseLong(m.group(3));
            long reserved = Long.parseLong(m.group(5));
            long available = Long.parseLong(m.group(6));
            assertThat(stocked).as("120 uploaded and a second delivery of 30").isEqualTo(150);
            assertThat(sold).as(m.group(1) + ": sold as confirmed to the devices").isEqualTo(Long.parseLong(m.group(4)))
                    .as(m.group(1) + ": demand beyond the stock sells a good part of it").isGreaterThan(75);
            assertThat(sold + reserved + available).as(m.group(1) + ": every unit accounted for").isEqualTo(150);
            assertThat(Long.parseLong(m.group(7))).as(m.group(1) + ": oversold").isZero();
        }
        assertThat(regions).as("both edge regions reported").isEqualTo(2);
        assertThat(Files.readString(dir.resolve("usage.json"))).contains("\"hotSku\"");
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
    }
}
