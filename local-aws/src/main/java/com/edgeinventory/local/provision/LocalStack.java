package com.edgeinventory.local.provision;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

import com.edgeinventory.local.aws.AwsClients;
import com.edgeinventory.local.moto.MotoServer;
import com.edgeinventory.local.template.ResolveOptions;
import com.edgeinventory.local.template.ResolvedTemplate;
import com.edgeinventory.local.template.TemplateResolver;

/**
 * The template's stack at a local endpoint for one command: either a moto this command starts (and provisions) or
 * the user's {@code --endpoint} (provisioned, or only looked up). {@link #template()} is resolved with the deployed
 * values (real queue URLs and stream ARNs).
 */
public final class LocalStack implements AutoCloseable {

    private final Optional<MotoServer> moto;
    private final AwsClients clients;
    private final StackResources resources;
    private final ResolvedTemplate template;

    private LocalStack(Optional<MotoServer> moto, AwsClients clients, StackResources resources,
                       ResolvedTemplate template) {
        this.moto = moto;
        this.clients = clients;
        this.resources = resources;
        this.template = template;
    }

    /**
     * @param provision whether to provision at a user endpoint (a started moto is always provisioned)
     */
    public static LocalStack open(Path templateFile, ResolveOptions options, Optional<URI> endpoint, boolean provision,
                           Consumer<String> progress) {
        Optional<MotoServer> moto = Optional.empty();
        URI uri;
        if (endpoint.isPresent()) {
            uri = endpoint.get();
        } else {
            progress.accept("starting moto_server (no --endpoint given)");
            MotoServer server = MotoServer.start();
            moto = Optional.of(server);
            uri = server.endpoint();
            progress.accept("moto_server at " + uri + ", log " + server.logFile());
        }
        AwsClients clients = new AwsClients(uri, options.region());
        try {
            ResolveOptions withEndpoint = options.withEndpoint(uri);
            ResolvedTemplate planned = TemplateResolver.resolve(templateFile, withEndpoint);
            Provisioner provisioner = new Provisioner(clients, line -> progress.accept("provision: " + line));
            StackResources resources = provision || moto.isPresent()
                    ? provisioner.provisionStack(planned)
                    : provisioner.lookup(planned);
            ResolvedTemplate deployed = TemplateResolver.resolve(templateFile, withEndpoint.withDeployed(resources));
            return new LocalStack(moto, clients, resources, deployed);
        } catch (RuntimeException e) {
            clients.close();
            moto.ifPresent(MotoServer::close);
            throw e;
        }
    }

    public ResolvedTemplate template() {
        return template;
    }

    public StackResources resources() {
        return resources;
    }

    public AwsClients clients() {
        return clients;
    }

    public URI endpoint() {
        return clients.endpoint();
    }

    @Override
    public void close() {
        try {
            clients.close();
        } finally {
            moto.ifPresent(MotoServer::close);
        }
    }
}
