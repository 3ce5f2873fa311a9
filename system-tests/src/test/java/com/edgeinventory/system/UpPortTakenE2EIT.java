package com.edgeinventory.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.edgeinventory.local.template.TemplateResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/edge-inventory up} on a port that is already taken (say, by an {@code up} started before): one line
 * naming the port and what to do, a non-zero exit, and nothing started first (no moto, nothing provisioned). It used
 * to start moto, provision 18 resources and then end with an 18-frame stack trace.
 */
class UpPortTakenE2EIT {

    @Test
    void upOnATakenPortSaysWhichAndStartsNothing() throws Exception {
        Path root = TemplateResolver.findTemplate(Path.of(System.getProperty("user.dir"))).getParent();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();

            long started = System.nanoTime();
            Launcher.Run run = new Launcher(root).run("up", "--port", String.valueOf(port));
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;

            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
            assertThat(run.stderr().strip().lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")))
                    .as(run.stderr()).singleElement().asString()
                    .startsWith("error: port " + port + " on 127.0.0.1 is already in use (AnalyticsApi of us-east-2")
                    .contains("--port N", "--port 0");
            assertThat(run.stderr()).doesNotContain("moto_server", "provisioning", "Exception", "\tat ");
            assertThat(run.stdout()).isEmpty();
            assertThat(seconds).as("it fails before starting anything").isLessThan(30);
        }
    }
}
