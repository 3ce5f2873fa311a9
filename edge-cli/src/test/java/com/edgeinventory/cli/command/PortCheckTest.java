package com.edgeinventory.cli.command;

import com.edgeinventory.local.system.LocalSystem;
import com.edgeinventory.local.system.PortCheck;


import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.template.TemplateResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code up} (and {@code demo}) on a taken port: one line naming the port and what to do, exit status 1, and nothing
 * started (no moto, nothing provisioned), whichever of its ports is taken.
 */
class PortCheckTest {

    private static final Path TEMPLATE = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir")));

    @Test
    void planFollowsTheOrderUpBindsIn() {
        LocalSystem.Options options = new LocalSystem.Options(TEMPLATE, "us-east-2", List.of("eu-west-1", "us-east-1"),
                Optional.empty(), 3000, Optional.empty(), Duration.ofSeconds(2));

        assertThat(PortCheck.plan(options)).containsExactly(
                new PortCheck.Planned(3000, "AnalyticsApi of us-east-2"),
                new PortCheck.Planned(3001, "RetailApi of eu-west-1"),
                new PortCheck.Planned(3002, "RetailApi of us-east-1"),
                new PortCheck.Planned(3003, "the dashboard"));
    }

    @Test
    void everyPortUpWouldBindIsChecked() throws IOException {
        for (int offset = 0; offset < 4; offset++) {
            int first = fourFreePorts();
            try (ServerSocket taken = listen(first + offset)) {
                CliRunner.Run run = run("up", "--port", String.valueOf(first));

                assertThat(run.status()).as(run.err()).isEqualTo(1);
                assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
                assertThat(run.err()).startsWith("error: port " + (first + offset) + " on 127.0.0.1 is already in use")
                        .contains("--port");
                assertThat(run.err()).doesNotContain("moto", "provision", "Exception", "\tat ");
                assertThat(run.out()).isEmpty();
            }
        }
    }

    /** The first of four consecutive ports nothing listens on (the first free port whose next three are free). */
    private static int fourFreePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first;
            try (ServerSocket probe = listen(0)) {
                first = probe.getLocalPort();
            }
            if (first > 65_000) {
                continue;
            }
            List<ServerSocket> held = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(listen(first + i));
                }
                return first;
            } catch (IOException taken) {
                // try another
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
        }
        throw new AssertionError("no four consecutive free ports found");
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Test
    void demoChecksTooAndPortZeroNeedsNoCheck() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CliRunner.Run demo = run("demo", "--regions", "eu-west-1", "--port", String.valueOf(taken.getLocalPort()));

            assertThat(demo.status()).as(demo.err()).isEqualTo(1);
            assertThat(demo.err()).contains("error: port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
        }
        PortCheck.requireFree(new LocalSystem.Options(TEMPLATE, "us-east-2", List.of("eu-west-1"), Optional.empty(), 0,
                Optional.empty(), Duration.ofSeconds(2)));
    }

    @Test
    void aPortRangePast65535IsRefusedBeforeStarting() {
        CliRunner.Run run = run("up", "--port", "65534");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: --port 65534 leaves no port for");
    }

    private static CliRunner.Run run(String... args) {
        return CliRunner.run(TEMPLATE.getParent(), Map.of(), Optional.of(TEMPLATE.getParent()), List.of(args));
    }
}
