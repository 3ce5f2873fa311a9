package com.edgeinventory.local.system;

import com.edgeinventory.local.LocalRuntimeException;
import com.edgeinventory.local.apigw.HttpApiRoutes;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fixed ports {@code up} and {@code demo} will listen on, checked before anything starts: with a taken port the
 * command says which one and what to do, instead of failing after moto has started and every region has been
 * provisioned. Mirrors the order in which {@link LocalSystem} binds them: every region's HttpApis from {@code --port}
 * on (central first, then the edges in order), then the dashboard on the next port. moto's own port is always a free
 * one, so only these are fixed; {@code --port 0} uses free ports and needs no check.
 */
public final class PortCheck {

    /** One port and what would listen on it. */
    public record Planned(int port, String what) {
    }

    private PortCheck() {
    }

    /** @throws LocalRuntimeException naming the first taken port */
    public static void requireFree(LocalSystem.Options options) {
        if (options.port() == 0) {
            return;
        }
        List<Planned> plan = plan(options);
        for (Planned planned : plan) {
            if (planned.port() > 65_535) {
                throw new LocalRuntimeException("--port " + options.port() + " leaves no port for " + planned.what()
                        + " (" + plan.size() + " consecutive ports are needed); choose a lower --port or --port 0");
            }
            if (!free(planned.port())) {
                throw new LocalRuntimeException("port " + planned.port() + " on 127.0.0.1 is already in use ("
                        + planned.what() + " would listen there; is another 'bin/edge-inventory up' or 'demo' "
                        + "running?). Stop what listens there, or choose other ports with --port N (the first of "
                        + plan.size() + " consecutive ports) or --port 0 (free ports)");
            }
        }
    }

    /** The ports {@code options} would bind, in order. */
    public static List<Planned> plan(LocalSystem.Options options) {
        List<Planned> planned = new ArrayList<>();
        boolean analytics = false;
        List<String> regions = new ArrayList<>();
        regions.add(options.central());
        regions.addAll(options.edges());
        for (String region : regions) {
            boolean central = region.equals(options.central());
            Map<String, String> parameters = central ? Map.of("DeploymentRole", "central")
                    : Map.of("DeploymentRole", "edge", "CentralStreamArn", "arn:aws:kinesis:" + options.central()
                            + ":" + ResolveOptions.ACCOUNT_ID + ":stream/port-check");
            ResolvedTemplate template = TemplateResolver.resolve(options.templateFile(),
                    ResolveOptions.defaults().withRegion(region).withParameterOverrides(parameters));
            for (String apiId : HttpApiRoutes.httpApiIds(template)) {
                planned.add(new Planned(options.port() + planned.size(), apiId + " of " + region));
                analytics |= central && apiId.equals(LocalSystem.ANALYTICS_API);
            }
        }
        if (analytics) {
            planned.add(new Planned(options.port() + planned.size(), "the dashboard"));
        }
        return planned;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
