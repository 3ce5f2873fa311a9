package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.template.TemplateResolver;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two weeks of store traffic in under a minute, as a user asks for it ({@code demo --days 14}): the local stack's
 * clock moves a day at a time, API Gateway stamps the requests with it, the functions date purchases and refusals
 * by it, and central files them under their simulated days. Each day sells as much as its weekday brings in the
 * region (eu-west-1's Saturdays at 2.5 times its Sundays), carts left open are swept by the same clock, customers
 * take alternatives offered for what ran out, and central still equals the edges over the whole range.
 */
class SimulatedDaysDemoE2EIT {

    static final Path ROOT = TemplateResolver.findTemplate(Path.of("").toAbsolutePath()).getParent();
    static final Pattern DAY = Pattern.compile("day (\\d{4}-\\d{2}-\\d{2}) \\((\\w{3})\\): eu-west-1 (\\d+) requests");
    static final Pattern DEMAND = Pattern.compile(
            "(?m)^ +demand per weekday over (\\d+) days \\(units sold\\+refused\\): (.+); (\\d+) days with sales$");

    @Test
    void twoWeeksFallOnTheirDaysWithTheirWeekdayPattern(@TempDir Path dir) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Launcher.Run run = new Launcher(ROOT).run("demo", "--days", "14", "--duration", "42s", "--rate", "6",
                "--products", "8", "--seed", "7", "--usage", dir.resolve("usage.json").toString());

        assertThat(run.exitCode()).as("exit status; stdout:%n%s", run.stdout()).isZero();
        assertThat(run.stdout()).contains("Central aggregates equal the regional tables: yes");

        List<LocalDate> days = new ArrayList<>();
        Map<DayOfWeek, Long> requests = new EnumMap<>(DayOfWeek.class);
        Matcher m = DAY.matcher(run.stderr());
        while (m.find()) {
            LocalDate day = LocalDate.parse(m.group(1));
            days.add(day);
            requests.merge(day.getDayOfWeek(), Long.parseLong(m.group(3)), Long::sum);
        }
        if (!today.equals(LocalDate.now(ZoneOffset.UTC))) {
            return; // the run crossed midnight UTC: its days are a day apart from what this test computed
        }
        assertThat(days).as("fourteen consecutive days, the last today").hasSize(14)
                .startsWith(today.minusDays(13)).endsWith(today);
        assertThat(requests.get(DayOfWeek.SATURDAY)).as("eu-west-1's Saturdays against its Sundays (%s)", requests)
                .isGreaterThan(requests.get(DayOfWeek.SUNDAY) * 3 / 2);

        Matcher demand = DEMAND.matcher(run.stdout());
        int regions = 0;
        while (demand.find()) {
            regions++;
            assertThat(Integer.parseInt(demand.group(1))).isEqualTo(14);
            assertThat(Integer.parseInt(demand.group(3))).as("central's days with sales: %s", demand.group())
                    .isGreaterThanOrEqualTo(12);
        }
        assertThat(regions).as("a demand line per edge region; stdout:%n%s", run.stdout()).isEqualTo(2);
        // Carts refused a jacket, offered its other sizes and colours, and took one (demo --mix alternative=0.5):
        // counted on the refused sku at the edge, carried to central, summed by the lost-demand query.
        Matcher bought = Pattern.compile("alternatives bought instead: (\\d+)").matcher(run.stdout());
        long alternatives = 0;
        while (bought.find()) {
            alternatives += Long.parseLong(bought.group(1));
        }
        assertThat(alternatives).as("alternatives bought in the same cart, both regions").isPositive();
        assertThat(run.stdout()).containsPattern("TransactionsExpired=[1-9]");
    }
}
