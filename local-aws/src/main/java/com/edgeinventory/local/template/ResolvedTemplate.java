package com.edgeinventory.local.template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A template as it would be deployed with the given options: parameters and conditions evaluated, resources
 * whose condition is false removed, Globals merged and every intrinsic resolved.
 *
 * @param templateFile the template that was read
 * @param options      the options it was resolved with
 * @param parameters   effective parameter values (String, or List of String for list types)
 * @param conditions   every condition's value
 * @param resources    existing resources by logical id, in template order
 * @param functions    the existing {@code AWS::Serverless::Function}s, in template order
 * @param outputs      outputs whose condition holds, resolved
 */
public record ResolvedTemplate(
        Path templateFile,
        ResolveOptions options,
        Map<String, Object> parameters,
        Map<String, Boolean> conditions,
        Map<String, ResolvedResource> resources,
        List<FunctionDef> functions,
        Map<String, Object> outputs) {

    public ResolvedTemplate {
        parameters = Yamls.immutableCopy(parameters);
        conditions = Map.copyOf(conditions);
        resources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(resources));
        functions = List.copyOf(functions);
        outputs = Yamls.immutableCopy(outputs);
    }

    public Path templateDir() {
        return templateFile.toAbsolutePath().getParent();
    }

    public String region() {
        return options.region();
    }

    public String stackName() {
        return options.stackName();
    }

    public String accountId() {
        return ResolveOptions.ACCOUNT_ID;
    }

    public List<ResolvedResource> resourcesOfType(String type) {
        return resources.values().stream().filter(r -> r.type().equals(type)).toList();
    }

    public List<ResolvedResource> tables() {
        return resourcesOfType(ResolvedResource.TABLE);
    }

    public List<ResolvedResource> buckets() {
        return resourcesOfType(ResolvedResource.BUCKET);
    }

    public List<ResolvedResource> queues() {
        return resourcesOfType(ResolvedResource.QUEUE);
    }

    public List<ResolvedResource> kinesisStreams() {
        return resourcesOfType(ResolvedResource.KINESIS_STREAM);
    }

    /** The resource, or a {@link TemplateException} naming the ones that exist. */
    public ResolvedResource resource(String logicalId) {
        ResolvedResource resource = resources.get(logicalId);
        if (resource == null) {
            throw new TemplateException("Resource " + logicalId + " does not exist in " + templateFile
                    + " with the current parameters. Resources: " + String.join(", ", resources.keySet()));
        }
        return resource;
    }

    /** The function, or a {@link TemplateException} naming the ones that exist. */
    public FunctionDef function(String logicalId) {
        return functions.stream()
                .filter(f -> f.logicalId().equals(logicalId))
                .findFirst()
                .orElseThrow(() -> new TemplateException("Function " + logicalId + " does not exist in "
                        + templateFile + " with the current parameters. Functions: "
                        + (functions.isEmpty() ? "(none)"
                                : functions.stream().map(FunctionDef::logicalId).collect(Collectors.joining(", ")))));
    }
}
