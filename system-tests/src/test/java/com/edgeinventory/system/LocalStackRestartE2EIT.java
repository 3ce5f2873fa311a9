package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.template.TemplateResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as a developer runs it: {@code bin/edge-inventory up --data DIR}, products uploaded to the
 * edge's bucket, sales through the retail HTTP API with a device key, then the whole stack killed (SIGKILL, moto
 * and the function runtimes included) while the pipeline is busy, and started again from DIR. Nothing is lost and
 * nothing is applied twice: afterwards the central aggregates equal the edge, sku by sku, and the units sold agree.
 */
class LocalStackRestartE2EIT {

    static final List<String> SKUS = List.of("RS-E2E-01", "RS-E2E-02", "RS-E2E-03", "RS-E2E-04");

    final Path root = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir"))).getParent();
    final List<UpProcess> started = new ArrayList<>();

    UpProcess up(Path data) throws Exception {
        UpProcess up = UpProcess.start(root, "--data", data.toString());
        started.add(up);
        return up;
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (UpProcess up : started) {
            up.kill();
        }
    }

    @Test
    void aStackKilledMidBatchRestartsFromItsDataWithNothingLostAndNothingTwice(@TempDir Path data) throws Exception {
        UpProcess first = up(data);
        String device = first.addDevice();
        first.uploadProducts(SKUS, 40);
        first.awaitStock(device, SKUS);
        List<Integer> statuses = new ArrayList<>();
        for (int n = 0; n < 12; n++) {
            statuses.add(first.sell(device, SKUS.get(n % SKUS.size()), "restart-sale-" + n));
        }
        assertThat(statuses).as("sales before the kill; stderr:%n%s", first.stderr()).allMatch(s -> s / 100 == 2);
        Thread.sleep(2500); // at least one snapshot with sales in it
        for (int n = 12; n < 16; n++) {
            first.sell(device, SKUS.get(n % SKUS.size()), "restart-sale-" + n);
        }
        first.kill(); // the forwarder and aggregator are still busy with the last sales
        assertThat(Files.exists(data.resolve("moto.state"))).isTrue();
        assertThat(Files.exists(data.resolve("checkpoints.json"))).isTrue();

        UpProcess second = up(data);
        assertThat(second.stderr()).contains("resuming");
        List<String> differences = second.awaitAgreement(device, SKUS, 90);

        assertThat(differences).as("central vs edge after the restart").isEmpty();
        long sold = 0;
        for (String sku : SKUS) {
            sold += second.soldAtTheEdge(device, sku);
        }
        assertThat(sold).as("units sold that survived the kill").isBetween(1L, 16L);
    }
}
