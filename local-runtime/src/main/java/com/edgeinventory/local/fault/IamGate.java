package com.edgeinventory.local.fault;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.edgeinventory.local.iam.AccessDenied;
import com.edgeinventory.local.iam.ActionCheck;
import com.edgeinventory.local.iam.AwsHttpRequest;
import com.edgeinventory.local.iam.AwsRequestActions;
import com.edgeinventory.local.iam.FunctionPolicy;
import com.edgeinventory.local.iam.IamCheck;
import com.edgeinventory.local.iam.RequestActions;
import com.edgeinventory.local.iam.RolePolicies;
import com.edgeinventory.local.invoke.FunctionIdentities;
import com.edgeinventory.local.template.ResolvedTemplate;

/**
 * IAM in front of moto, as AWS enforces it: a function's request is allowed only when its role, as SAM builds it
 * from template.yaml ({@link RolePolicies}), allows every (action, resource) the request needs
 * ({@link AwsRequestActions}). The caller is known by the access key of the request's SigV4 credential scope,
 * which {@link FunctionIdentities} issued to that function alone. A denied request gets AWS's own error
 * ({@link AccessDenied}: {@code AccessDeniedException}, S3 {@code AccessDenied}) naming the action and the
 * resource, never reaches moto, and is logged as one line naming the function, the action and the ARN.
 *
 * <p>A request signed with a key no function was given is refused as AWS refuses an unknown key. Requests this
 * model does not read (other services and operations) pass through, each kind logged once; see the
 * {@code iam} package for what is and is not evaluated.
 */
public final class IamGate {

    /** What the gate decided for one request. */
    public sealed interface Verdict {
        record Allowed() implements Verdict {
        }

        record Denied(AccessDenied.Response response, String logLine) implements Verdict {
        }
    }

    private record Role(String region, String logicalId) {
    }

    private final FunctionIdentities identities;
    private final Map<String, ResolvedTemplate> templatesByRegion;
    private final Consumer<String> log;
    private final AwsRequestActions actions = new AwsRequestActions();
    private final Map<Role, FunctionPolicy> policies = new ConcurrentHashMap<>();
    private final Set<String> passedThrough = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<ActionCheck>> allowed = new ConcurrentHashMap<>();

    /**
     * @param identities        who holds which key
     * @param templatesByRegion each region's resolved template (a function's policy comes from its own region's)
     * @param log               where denials and pass-throughs are reported
     */
    public IamGate(FunctionIdentities identities, Map<String, ResolvedTemplate> templatesByRegion,
                   Consumer<String> log) {
        this.identities = Objects.requireNonNull(identities);
        this.templatesByRegion = Map.copyOf(templatesByRegion);
        this.log = Objects.requireNonNull(log);
    }

    /**
     * What each function's real traffic was allowed so far, by {@code region/LogicalId}: the permissions it
     * needs, which tests hold against the template (take one away and that traffic is denied).
     */
    public Map<String, Set<ActionCheck>> allowedSoFar() {
        Map<String, Set<ActionCheck>> copy = new TreeMap<>();
        allowed.forEach((k, v) -> {
            Set<ActionCheck> sorted = new TreeSet<>(Comparator.comparing(ActionCheck::action)
                    .thenComparing(ActionCheck::resource));
            sorted.addAll(v);
            copy.put(k, sorted);
        });
        return copy;
    }

    public Verdict check(AwsHttpRequest request) {
        // Read once: the access key of the credential scope says who calls, the checks what IAM authorizes.
        RequestActions read = actions.classify(request);
        Optional<FunctionIdentities.Identity> caller = identities.byAccessKeyId(read.accessKeyId());
        String requestId = UUID.randomUUID().toString();
        Optional<FunctionIdentities.Identity> expiredCaller = caller.isPresent() || read.accessKeyId().isEmpty()
                ? Optional.empty() : identities.expiredAccessKeyId(read.accessKeyId());
        if (expiredCaller.isPresent() && read.protocol().isPresent()) {
            String line = "IAM refused " + expiredCaller.get().function().logicalId() + " ("
                    + expiredCaller.get().region() + "): " + read.operation() + " signed with keys taken back ("
                    + read.accessKeyId() + ": expired, or issued before its SnapStart restore and kept past it)";
            log.accept(line);
            return new Verdict.Denied(AccessDenied.expiredToken(read.protocol().get(), requestId), line);
        }
        if (!read.accessKeyId().isEmpty() && caller.isEmpty() && read.protocol().isPresent()) {
            String line = "IAM denied a request signed with an access key no function holds ("
                    + read.accessKeyId() + "): " + read.operation();
            ActionCheck first = read.checks().isEmpty() ? new ActionCheck(read.operation(), "*")
                    : read.checks().getFirst();
            log.accept(line);
            return new Verdict.Denied(AccessDenied.response(read.protocol().get(), "arn:aws:iam::"
                    + "123456789012:user/unknown-" + read.accessKeyId(), first, false, requestId), line);
        }
        Map<String, FunctionPolicy> byKey = caller.map(identity -> Map.of(read.accessKeyId(),
                policies.computeIfAbsent(new Role(identity.region(), identity.function().logicalId()), role -> {
                    ResolvedTemplate template = templatesByRegion.get(role.region());
                    if (template == null) {
                        throw new IllegalStateException("no template for region " + role.region());
                    }
                    return RolePolicies.of(template, template.function(role.logicalId()));
                }))).orElse(Map.of());
        IamCheck.Verdict verdict = new IamCheck(byKey, actions).check(request, read, requestId);
        switch (verdict.action()) {
            case ALLOW -> {
                String function = caller.map(c -> c.region() + "/" + c.function().logicalId()).orElseThrow();
                Set<ActionCheck> used = allowed.computeIfAbsent(function, k -> ConcurrentHashMap.newKeySet());
                verdict.decisions().forEach(d -> used.add(new ActionCheck(d.action(), d.resource())));
                return new Verdict.Allowed();
            }
            case DENY -> {
                String line = "IAM denied " + caller.map(c -> c.function().logicalId() + " (" + c.region() + ")")
                        .orElse("?") + ": " + verdict.decisions().stream().filter(d -> !d.allowed()).findFirst()
                        .map(d -> d.action() + " on " + d.resource() + ": " + d.reason()).orElse(verdict.reason());
                log.accept(line);
                return new Verdict.Denied(verdict.response().orElseThrow(), line);
            }
            default -> {
                if (passedThrough.add(verdict.request().status() + " " + verdict.request().operation())) {
                    log.accept("IAM not evaluated (passed through): " + verdict.reason());
                }
                return new Verdict.Allowed();
            }
        }
    }
}
