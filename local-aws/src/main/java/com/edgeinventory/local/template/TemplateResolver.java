package com.edgeinventory.local.template;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Resolves a SAM template the way {@code sam local} and CloudFormation would see it: parameters (defaults,
 * overrides, validation), pseudo parameters, conditions, Globals, and every intrinsic function.
 * Pure code: no network, no clock.
 */
public final class TemplateResolver {

    /** The template's file name at the repository root. */
    public static final String TEMPLATE_FILE = "template.yaml";

    private TemplateResolver() {
    }

    /** Reads and resolves a template file. */
    public static ResolvedTemplate resolve(Path templateFile, ResolveOptions options) {
        return resolve(CfnYaml.load(templateFile), templateFile, options);
    }

    /** Resolves an already-parsed template; {@code templateFile} anchors relative {@code CodeUri}s. */
    public static ResolvedTemplate resolve(Map<String, Object> template, Path templateFile, ResolveOptions options) {
        return new Resolution(template, templateFile.toAbsolutePath().normalize(), options).run();
    }

    /**
     * Walks up from {@code start} to the first directory holding {@code template.yaml}.
     *
     * @throws TemplateException when no parent has one
     */
    public static Path findTemplate(Path start) {
        Path dir = start.toAbsolutePath().normalize();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve(TEMPLATE_FILE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new TemplateException("No " + TEMPLATE_FILE + " found in " + dir + " or any parent directory");
    }

    /** Marker for {@code AWS::NoValue}: the enclosing key or list element disappears. */
    private static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    private static final Set<String> STRING_PARAMETER_LIST_TYPES = Set.of("CommaDelimitedList", "List<Number>");

    private static final class Resolution {
        private final Map<String, Object> template;
        private final Path templateFile;
        private final ResolveOptions options;

        private final Map<String, Object> parameterValues = new LinkedHashMap<>();
        private final Map<String, Object> conditionExpressions = new LinkedHashMap<>();
        private final Map<String, Boolean> conditionValues = new LinkedHashMap<>();
        private final Set<String> conditionsInProgress = new HashSet<>();
        private final Map<String, Object> mappings = new LinkedHashMap<>();
        private final Map<String, String> resourceTypes = new LinkedHashMap<>();
        private final Map<String, Map<String, Object>> resourceProperties = new LinkedHashMap<>();
        private final Map<String, String> resourceConditions = new LinkedHashMap<>();
        private final Set<String> existing = new HashSet<>();
        private final Map<String, String> physicalIds = new LinkedHashMap<>();
        private final Set<String> physicalIdsInProgress = new HashSet<>();

        Resolution(Map<String, Object> template, Path templateFile, ResolveOptions options) {
            this.template = template;
            this.templateFile = templateFile;
            this.options = options;
        }

        ResolvedTemplate run() {
            readParameters();
            mappings.putAll(section("Mappings"));
            conditionExpressions.putAll(section("Conditions"));
            readResources();
            for (String name : conditionExpressions.keySet()) {
                condition(name, "Conditions");
            }
            decideExistence();
            Map<String, ResolvedResource> resources = new LinkedHashMap<>();
            for (String id : resourceTypes.keySet()) {
                if (!existing.contains(id)) {
                    continue;
                }
                Object props = resolve(resourceProperties.get(id), "Resources." + id + ".Properties");
                resources.put(id, new ResolvedResource(id, resourceTypes.get(id), physicalId(id), asMap(props)));
            }
            List<FunctionDef> functions = new ArrayList<>();
            for (ResolvedResource resource : resources.values()) {
                if (resource.type().equals(ResolvedResource.SERVERLESS_FUNCTION)) {
                    functions.add(function(resource));
                }
            }
            Map<String, Object> outputs = new LinkedHashMap<>();
            section("Outputs").forEach((name, raw) -> {
                Map<String, Object> output = requireMap(raw, "Outputs." + name);
                Object cond = output.get("Condition");
                if (cond != null && !condition(String.valueOf(cond), "Outputs." + name + ".Condition")) {
                    return;
                }
                Object value = resolve(output.get("Value"), "Outputs." + name + ".Value");
                if (value != NO_VALUE) {
                    outputs.put(name, value);
                }
            });
            return new ResolvedTemplate(templateFile, options, parameterValues, conditionValues, resources,
                    functions, outputs);
        }

        // ------------------------------------------------------------------ sections

        private Map<String, Object> section(String name) {
            Object value = template.get(name);
            if (value == null) {
                return Map.of();
            }
            return requireMap(value, name);
        }

        private static Map<String, Object> requireMap(Object value, String where) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new TemplateException(where + " must be a mapping, got " + describe(value));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) map;
            return result;
        }

        private static List<Object> requireList(Object value, String where) {
            if (!(value instanceof List<?> list)) {
                throw new TemplateException(where + " must be a list, got " + describe(value));
            }
            @SuppressWarnings("unchecked")
            List<Object> result = (List<Object>) list;
            return result;
        }

        private static String describe(Object value) {
            if (value == null) {
                return "nothing";
            }
            if (value instanceof Map<?, ?>) {
                return "a mapping " + value;
            }
            if (value instanceof List<?>) {
                return "a list " + value;
            }
            return "'" + value + "'";
        }

        // ---------------------------------------------------------------- parameters

        private void readParameters() {
            Map<String, Object> declared = section("Parameters");
            for (String name : options.parameterOverrides().keySet()) {
                if (!declared.containsKey(name)) {
                    throw new TemplateException("Unknown parameter in --parameter-overrides: " + name
                            + ". Template parameters: "
                            + (declared.isEmpty() ? "(none)" : String.join(", ", declared.keySet())));
                }
            }
            for (Map.Entry<String, Object> entry : declared.entrySet()) {
                String name = entry.getKey();
                Map<String, Object> def = requireMap(entry.getValue(), "Parameters." + name);
                String type = String.valueOf(def.getOrDefault("Type", "String"));
                String raw;
                if (options.parameterOverrides().containsKey(name)) {
                    raw = options.parameterOverrides().get(name);
                } else if (def.containsKey("Default")) {
                    raw = scalarText(def.get("Default"), "Parameters." + name + ".Default");
                } else {
                    throw new TemplateException("Parameter " + name + " has no Default; pass --parameter-overrides "
                            + name + "=<value>");
                }
                validateParameter(name, type, def, raw);
                parameterValues.put(name, isListType(type) ? splitList(raw) : raw);
            }
        }

        private static boolean isListType(String type) {
            return STRING_PARAMETER_LIST_TYPES.contains(type) || type.startsWith("List<");
        }

        private static List<String> splitList(String raw) {
            List<String> values = new ArrayList<>();
            for (String part : raw.split(",", -1)) {
                values.add(part.strip());
            }
            return values;
        }

        private static String scalarText(Object value, String where) {
            if (value instanceof List<?> list) {
                List<String> parts = new ArrayList<>();
                for (Object o : list) {
                    parts.add(scalarText(o, where));
                }
                return String.join(",", parts);
            }
            if (value == null || value instanceof Map<?, ?>) {
                throw new TemplateException(where + " must be a scalar, got " + describe(value));
            }
            return numberText(value);
        }

        private void validateParameter(String name, String type, Map<String, Object> def, String raw) {
            List<String> values = isListType(type) ? splitList(raw) : List.of(raw);
            boolean numeric = type.equals("Number") || type.equals("List<Number>");
            for (String value : values) {
                if (numeric) {
                    BigDecimal number = parseNumber(value);
                    if (number == null) {
                        throw new TemplateException("Parameter " + name + " must be a number, got '" + value + "'");
                    }
                    checkBound(name, def, "MinValue", number, true);
                    checkBound(name, def, "MaxValue", number, false);
                }
                if (def.get("AllowedValues") instanceof List<?> allowed && !allowedContains(allowed, value, numeric)) {
                    List<String> shown = allowed.stream().map(TemplateResolver::numberText).toList();
                    throw new TemplateException("Parameter " + name + " value '" + value
                            + "' is not one of the AllowedValues " + shown);
                }
                if (def.get("AllowedPattern") instanceof String pattern) {
                    boolean matches;
                    try {
                        matches = Pattern.compile(pattern).matcher(value).matches();
                    } catch (PatternSyntaxException e) {
                        throw new TemplateException("Parameter " + name + " has an invalid AllowedPattern "
                                + pattern + ": " + e.getDescription(), e);
                    }
                    if (!matches) {
                        String description = def.get("ConstraintDescription") instanceof String c ? " (" + c + ")" : "";
                        throw new TemplateException("Parameter " + name + " value '" + value
                                + "' does not match AllowedPattern " + pattern + description);
                    }
                }
                if (!numeric) {
                    checkLength(name, def, "MinLength", value, true);
                    checkLength(name, def, "MaxLength", value, false);
                }
            }
        }

        private static boolean allowedContains(List<?> allowed, String value, boolean numeric) {
            for (Object candidate : allowed) {
                String text = numberText(candidate);
                if (text.equals(value)) {
                    return true;
                }
                if (numeric) {
                    BigDecimal a = parseNumber(text);
                    BigDecimal b = parseNumber(value);
                    if (a != null && b != null && a.compareTo(b) == 0) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static void checkBound(String name, Map<String, Object> def, String key, BigDecimal value, boolean min) {
            if (!def.containsKey(key)) {
                return;
            }
            BigDecimal bound = parseNumber(numberText(def.get(key)));
            if (bound == null) {
                throw new TemplateException("Parameter " + name + " has a non-numeric " + key);
            }
            if (min ? value.compareTo(bound) < 0 : value.compareTo(bound) > 0) {
                throw new TemplateException("Parameter " + name + " value " + value.toPlainString() + " is "
                        + (min ? "below MinValue " : "above MaxValue ") + bound.toPlainString());
            }
        }

        private static void checkLength(String name, Map<String, Object> def, String key, String value, boolean min) {
            if (!(def.get(key) instanceof Number bound)) {
                return;
            }
            int length = value.length();
            if (min ? length < bound.intValue() : length > bound.intValue()) {
                throw new TemplateException("Parameter " + name + " value '" + value + "' is "
                        + (min ? "shorter than MinLength " : "longer than MaxLength ") + bound);
            }
        }

        private static BigDecimal parseNumber(String text) {
            try {
                return new BigDecimal(text.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }

        // ---------------------------------------------------------------- conditions

        private boolean condition(String name, String where) {
            Boolean known = conditionValues.get(name);
            if (known != null) {
                return known;
            }
            if (!conditionExpressions.containsKey(name)) {
                throw new TemplateException(where + " refers to condition " + name + ", which is not defined in "
                        + "Conditions" + (conditionExpressions.isEmpty() ? ""
                                : " (defined: " + String.join(", ", conditionExpressions.keySet()) + ")"));
            }
            if (!conditionsInProgress.add(name)) {
                throw new TemplateException("Condition " + name + " refers to itself");
            }
            boolean value = evaluateCondition(conditionExpressions.get(name), "Conditions." + name);
            conditionsInProgress.remove(name);
            conditionValues.put(name, value);
            return value;
        }

        private boolean evaluateCondition(Object expression, String where) {
            if (expression instanceof Boolean b) {
                return b;
            }
            if (!(expression instanceof Map<?, ?> map) || map.size() != 1) {
                throw new TemplateException(where + " must be a condition function (Fn::Equals, Fn::Not, Fn::And, "
                        + "Fn::Or, Condition), got " + describe(expression));
            }
            String fn = String.valueOf(map.keySet().iterator().next());
            Object arg = map.values().iterator().next();
            String at = where + "." + fn;
            return switch (fn) {
                case "Condition" -> condition(String.valueOf(arg), at);
                case "Fn::Equals" -> {
                    List<Object> args = requireList(arg, at);
                    if (args.size() != 2) {
                        throw new TemplateException(at + " takes exactly 2 values, got " + args.size());
                    }
                    Object left = resolve(args.get(0), at + "[0]");
                    Object right = resolve(args.get(1), at + "[1]");
                    yield Objects.equals(comparable(left), comparable(right));
                }
                case "Fn::Not" -> {
                    List<Object> args = requireList(arg, at);
                    if (args.size() != 1) {
                        throw new TemplateException(at + " takes exactly 1 condition, got " + args.size());
                    }
                    yield !evaluateCondition(args.get(0), at + "[0]");
                }
                case "Fn::And", "Fn::Or" -> {
                    List<Object> args = requireList(arg, at);
                    if (args.size() < 2 || args.size() > 10) {
                        throw new TemplateException(at + " takes 2 to 10 conditions, got " + args.size());
                    }
                    boolean and = fn.equals("Fn::And");
                    boolean result = and;
                    for (int i = 0; i < args.size(); i++) {
                        boolean v = evaluateCondition(args.get(i), at + "[" + i + "]");
                        result = and ? result && v : result || v;
                    }
                    yield result;
                }
                default -> throw new TemplateException(where + ": " + fn + " is not a condition function");
            };
        }

        private static Object comparable(Object value) {
            if (value instanceof List<?> list) {
                return list.stream().map(Resolution::comparable).toList();
            }
            return value == null ? null : numberText(value);
        }

        // ----------------------------------------------------------------- resources

        private void readResources() {
            Map<String, Object> resources = section("Resources");
            if (resources.isEmpty()) {
                throw new TemplateException("Template " + templateFile + " has no Resources");
            }
            Map<String, Object> globals = globalsFunction();
            for (Map.Entry<String, Object> entry : resources.entrySet()) {
                String id = entry.getKey();
                Map<String, Object> resource = requireMap(entry.getValue(), "Resources." + id);
                if (!(resource.get("Type") instanceof String type)) {
                    throw new TemplateException("Resources." + id + " has no Type");
                }
                Object props = resource.get("Properties");
                Map<String, Object> properties = props == null ? new LinkedHashMap<>()
                        : requireMap(Yamls.mutableCopy(props), "Resources." + id + ".Properties");
                if (type.equals(ResolvedResource.SERVERLESS_FUNCTION) && !globals.isEmpty()) {
                    properties = SamGlobals.merge(globals, properties);
                }
                resourceTypes.put(id, type);
                resourceProperties.put(id, properties);
                if (resource.get("Condition") != null) {
                    resourceConditions.put(id, String.valueOf(resource.get("Condition")));
                }
            }
        }

        private void decideExistence() {
            for (String id : resourceTypes.keySet()) {
                String cond = resourceConditions.get(id);
                if (cond == null || condition(cond, "Resources." + id + ".Condition")) {
                    existing.add(id);
                }
            }
        }

        private Map<String, Object> globalsFunction() {
            Map<String, Object> globals = section("Globals");
            Object function = globals.get("Function");
            if (function == null) {
                return Map.of();
            }
            return requireMap(Yamls.mutableCopy(function), "Globals.Function");
        }

        private String physicalId(String id) {
            String known = physicalIds.get(id);
            if (known != null) {
                return known;
            }
            if (!physicalIdsInProgress.add(id)) {
                throw new TemplateException("The name of resource " + id + " depends on itself");
            }
            String type = resourceTypes.get(id);
            String nameProperty = switch (type) {
                case ResolvedResource.TABLE -> "TableName";
                case ResolvedResource.BUCKET -> "BucketName";
                case ResolvedResource.QUEUE -> "QueueName";
                case ResolvedResource.KINESIS_STREAM -> "Name";
                case ResolvedResource.SERVERLESS_FUNCTION, ResolvedResource.LAMBDA_FUNCTION -> "FunctionName";
                case ResolvedResource.LOG_GROUP -> "LogGroupName";
                case "AWS::SNS::Topic" -> "TopicName";
                case "AWS::CloudWatch::Alarm" -> "AlarmName";
                case "AWS::CloudWatch::Dashboard" -> "DashboardName";
                default -> null;
            };
            Map<String, Object> props = resourceProperties.get(id);
            String name;
            if (nameProperty != null && props.get(nameProperty) != null) {
                Object value = resolve(props.get(nameProperty), "Resources." + id + ".Properties." + nameProperty);
                if (value == NO_VALUE) {
                    name = generatedName(id, type, props);
                } else {
                    name = stringValue(value, "Resources." + id + ".Properties." + nameProperty);
                }
            } else {
                name = generatedName(id, type, props);
            }
            physicalIdsInProgress.remove(id);
            physicalIds.put(id, name);
            return name;
        }

        private String generatedName(String id, String type, Map<String, Object> props) {
            String name = options.stackName() + "-" + id;
            if (type.equals(ResolvedResource.BUCKET)) {
                return name.toLowerCase(Locale.ROOT);
            }
            if (type.equals(ResolvedResource.QUEUE) && props.get("FifoQueue") != null
                    && "true".equalsIgnoreCase(numberText(resolve(props.get("FifoQueue"), "Resources." + id
                            + ".Properties.FifoQueue")))) {
                return name + ".fifo";
            }
            return name;
        }

        private void requireExisting(String id, String where) {
            if (!resourceTypes.containsKey(id)) {
                throw new TemplateException(where + " refers to " + id
                        + ", which is not a parameter, pseudo parameter or resource of the template");
            }
            if (!existing.contains(id)) {
                throw new TemplateException(where + " refers to resource " + id + ", which does not exist because "
                        + "its condition " + resourceConditions.get(id) + " is false");
            }
        }

        // ---------------------------------------------------------------- intrinsics

        private Object resolve(Object node, String where) {
            if (node instanceof Map<?, ?> map) {
                if (map.size() == 1) {
                    String key = String.valueOf(map.keySet().iterator().next());
                    Object arg = map.values().iterator().next();
                    if (key.equals("Ref")) {
                        return ref(arg, where);
                    }
                    if (key.startsWith("Fn::")) {
                        return function(key, arg, where + "." + key);
                    }
                }
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String k = String.valueOf(e.getKey());
                    Object v = resolve(e.getValue(), where + "." + k);
                    if (v != NO_VALUE) {
                        out.put(k, v);
                    }
                }
                return out;
            }
            if (node instanceof List<?> list) {
                List<Object> out = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    Object v = resolve(list.get(i), where + "[" + i + "]");
                    if (v != NO_VALUE) {
                        out.add(v);
                    }
                }
                return out;
            }
            return node;
        }

        private Object function(String fn, Object arg, String where) {
            return switch (fn) {
                case "Fn::If" -> {
                    List<Object> args = requireList(arg, where);
                    if (args.size() != 3) {
                        throw new TemplateException(where + " takes [condition, valueIfTrue, valueIfFalse], got "
                                + args.size() + " values");
                    }
                    boolean c = condition(String.valueOf(args.get(0)), where);
                    yield resolve(args.get(c ? 1 : 2), where + "[" + (c ? 1 : 2) + "]");
                }
                case "Fn::Sub" -> sub(arg, where);
                case "Fn::GetAtt" -> getAtt(arg, where);
                case "Fn::Join" -> {
                    List<Object> args = requireList(arg, where);
                    if (args.size() != 2) {
                        throw new TemplateException(where + " takes [delimiter, list], got " + args.size() + " values");
                    }
                    String delimiter = stringValue(resolve(args.get(0), where + "[0]"), where + "[0]");
                    List<Object> items = requireList(resolve(args.get(1), where + "[1]"), where + "[1]");
                    List<String> parts = new ArrayList<>();
                    for (int i = 0; i < items.size(); i++) {
                        parts.add(stringValue(items.get(i), where + "[1][" + i + "]"));
                    }
                    yield String.join(delimiter, parts);
                }
                case "Fn::Select" -> {
                    List<Object> args = requireList(arg, where);
                    if (args.size() != 2) {
                        throw new TemplateException(where + " takes [index, list], got " + args.size() + " values");
                    }
                    String indexText = stringValue(resolve(args.get(0), where + "[0]"), where + "[0]");
                    int index;
                    try {
                        index = Integer.parseInt(indexText.strip());
                    } catch (NumberFormatException e) {
                        throw new TemplateException(where + ": index '" + indexText + "' is not an integer");
                    }
                    List<Object> items = requireList(resolve(args.get(1), where + "[1]"), where + "[1]");
                    if (index < 0 || index >= items.size()) {
                        throw new TemplateException(where + ": index " + index + " is out of range for a list of "
                                + items.size());
                    }
                    yield items.get(index);
                }
                case "Fn::Split" -> {
                    List<Object> args = requireList(arg, where);
                    if (args.size() != 2) {
                        throw new TemplateException(where + " takes [delimiter, string], got " + args.size()
                                + " values");
                    }
                    String delimiter = stringValue(resolve(args.get(0), where + "[0]"), where + "[0]");
                    String source = stringValue(resolve(args.get(1), where + "[1]"), where + "[1]");
                    if (delimiter.isEmpty()) {
                        throw new TemplateException(where + ": the delimiter must not be empty");
                    }
                    yield new ArrayList<Object>(List.of(source.split(Pattern.quote(delimiter), -1)));
                }
                case "Fn::FindInMap" -> findInMap(arg, where);
                case "Fn::Base64" -> Base64.getEncoder().encodeToString(
                        stringValue(resolve(arg, where), where).getBytes(StandardCharsets.UTF_8));
                case "Fn::GetAZs" -> {
                    String region = stringValue(resolve(arg, where), where);
                    String r = region.isEmpty() ? options.region() : region;
                    yield new ArrayList<Object>(List.of(r + "a", r + "b", r + "c"));
                }
                case "Fn::Cidr" -> cidr(arg, where);
                case "Fn::ImportValue" -> throw new TemplateException(where + " (" + resolve(arg, where)
                        + ") cannot be resolved locally: cross-stack exports do not exist here. "
                        + "Pass the value as a parameter instead.");
                case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or" -> evaluateCondition(Map.of(fn, arg), where);
                default -> throw new TemplateException(where + ": unsupported intrinsic function " + fn);
            };
        }

        private Object ref(Object arg, String where) {
            if (!(arg instanceof String name)) {
                throw new TemplateException(where + ": Ref takes a name, got " + describe(arg));
            }
            Object pseudo = pseudoParameter(name, where);
            if (pseudo != null) {
                return pseudo;
            }
            if (parameterValues.containsKey(name)) {
                Object value = parameterValues.get(name);
                return value instanceof List<?> l ? new ArrayList<Object>(l) : value;
            }
            if (name.endsWith(".Alias") && !resourceTypes.containsKey(name)) {
                return functionAlias(name.substring(0, name.length() - ".Alias".length()), where);
            }
            if (where.startsWith("Conditions.") && resourceTypes.containsKey(name)) {
                throw new TemplateException(where + " refers to resource " + name
                        + "; conditions can only refer to parameters and pseudo parameters");
            }
            requireExisting(name, where);
            return options.deployed().findRef(name).orElseGet(() -> derivedRef(name));
        }

        /**
         * SAM's {@code Ref Function.Alias}: the ARN of the alias that {@code AutoPublishAlias} publishes (the
         * translator's {@code FunctionAlias<name>} resource), qualified by the alias name.
         */
        private String functionAlias(String id, String where) {
            requireExisting(id, where);
            if (!ResolvedResource.SERVERLESS_FUNCTION.equals(resourceTypes.get(id))) {
                throw new TemplateException(where + ": " + id + ".Alias names no AWS::Serverless::Function");
            }
            Object alias = resourceProperties.get(id).get("AutoPublishAlias");
            if (alias == null) {
                throw new TemplateException(where + ": " + id + ".Alias needs AutoPublishAlias on " + id);
            }
            return attribute(id, "Arn", where) + ":" + stringValue(resolve(alias, where), where);
        }

        private Object pseudoParameter(String name, String where) {
            return switch (name) {
                case "AWS::Region" -> options.region();
                case "AWS::AccountId" -> ResolveOptions.ACCOUNT_ID;
                case "AWS::StackName" -> options.stackName();
                case "AWS::StackId" -> "arn:" + partition() + ":cloudformation:" + options.region() + ":"
                        + ResolveOptions.ACCOUNT_ID + ":stack/" + options.stackName()
                        + "/00000000-0000-0000-0000-000000000000";
                case "AWS::Partition" -> partition();
                case "AWS::URLSuffix" -> urlSuffix();
                case "AWS::NotificationARNs" -> new ArrayList<>();
                case "AWS::NoValue" -> NO_VALUE;
                default -> {
                    if (name.startsWith("AWS::")) {
                        throw new TemplateException(where + ": unknown pseudo parameter " + name);
                    }
                    yield null;
                }
            };
        }

        private String partition() {
            if (options.region().startsWith("cn-")) {
                return "aws-cn";
            }
            if (options.region().startsWith("us-gov-")) {
                return "aws-us-gov";
            }
            return "aws";
        }

        private String urlSuffix() {
            return options.region().startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        }

        private String derivedRef(String id) {
            String type = resourceTypes.get(id);
            if (type.equals(ResolvedResource.QUEUE)) {
                return queueUrl(physicalId(id));
            }
            if (type.equals("AWS::SNS::Topic")) {
                return arn("sns", physicalId(id));
            }
            return physicalId(id);
        }

        private String queueUrl(String name) {
            return options.endpoint()
                    .map(e -> e.getScheme() + "://" + e.getAuthority() + "/" + ResolveOptions.ACCOUNT_ID + "/" + name)
                    .orElseGet(() -> "https://sqs." + options.region() + "." + urlSuffix() + "/"
                            + ResolveOptions.ACCOUNT_ID + "/" + name);
        }

        private String arn(String service, String resource) {
            return "arn:" + partition() + ":" + service + ":" + options.region() + ":" + ResolveOptions.ACCOUNT_ID
                    + ":" + resource;
        }

        private Object getAtt(Object arg, String where) {
            List<Object> parts;
            if (arg instanceof String s) {
                int dot = s.indexOf('.');
                if (dot <= 0) {
                    throw new TemplateException(where + ": '" + s + "' must be LogicalId.Attribute");
                }
                parts = List.of(s.substring(0, dot), s.substring(dot + 1));
            } else {
                parts = requireList(arg, where);
            }
            if (parts.size() != 2) {
                throw new TemplateException(where + " takes [LogicalId, Attribute], got " + describe(arg));
            }
            String id = stringValue(resolve(parts.get(0), where + "[0]"), where + "[0]");
            String attribute = stringValue(resolve(parts.get(1), where + "[1]"), where + "[1]");
            return attribute(id, attribute, where);
        }

        private String attribute(String id, String attribute, String where) {
            requireExisting(id, where);
            return options.deployed().findAttribute(id, attribute)
                    .orElseGet(() -> derivedAttribute(id, attribute, where));
        }

        private String derivedAttribute(String id, String attribute, String where) {
            String type = resourceTypes.get(id);
            String name = physicalId(id);
            String value = switch (type) {
                case ResolvedResource.TABLE -> switch (attribute) {
                    case "Arn" -> arn("dynamodb", "table/" + name);
                    case "StreamArn" -> {
                        if (!(resourceProperties.get(id).get("StreamSpecification") instanceof Map<?, ?>)) {
                            throw new TemplateException(where + ": table " + id
                                    + " has no StreamSpecification, so it has no StreamArn");
                        }
                        yield arn("dynamodb", "table/" + name + "/stream/1970-01-01T00:00:00.000");
                    }
                    default -> null;
                };
                case ResolvedResource.BUCKET -> switch (attribute) {
                    case "Arn" -> "arn:" + partition() + ":s3:::" + name;
                    case "DomainName" -> name + ".s3." + urlSuffix();
                    case "RegionalDomainName" -> name + ".s3." + options.region() + "." + urlSuffix();
                    case "WebsiteURL" -> "http://" + name + ".s3-website-" + options.region() + "." + urlSuffix();
                    default -> null;
                };
                case ResolvedResource.QUEUE -> switch (attribute) {
                    case "Arn" -> arn("sqs", name);
                    case "QueueName" -> name;
                    case "QueueUrl" -> queueUrl(name);
                    default -> null;
                };
                case ResolvedResource.KINESIS_STREAM -> attribute.equals("Arn") ? arn("kinesis", "stream/" + name)
                        : null;
                case ResolvedResource.SERVERLESS_FUNCTION, ResolvedResource.LAMBDA_FUNCTION ->
                        attribute.equals("Arn") ? arn("lambda", "function:" + name) : null;
                case ResolvedResource.LOG_GROUP -> attribute.equals("Arn") ? arn("logs", "log-group:" + name + ":*")
                        : null;
                case "AWS::SNS::Topic" -> attribute.equals("TopicArn") ? arn("sns", name)
                        : attribute.equals("TopicName") ? name : null;
                case "AWS::CloudWatch::Alarm" -> attribute.equals("Arn") ? arn("cloudwatch", "alarm:" + name) : null;
                default -> null;
            };
            if (value == null) {
                throw new TemplateException(where + ": attribute " + attribute + " of " + id + " (" + type
                        + ") is not supported locally");
            }
            return value;
        }

        private String sub(Object arg, String where) {
            String text;
            Map<String, Object> variables = new LinkedHashMap<>();
            if (arg instanceof String s) {
                text = s;
            } else if (arg instanceof List<?> list && list.size() == 2 && list.get(0) instanceof String s) {
                text = s;
                Map<String, Object> vars = requireMap(list.get(1), where + "[1]");
                for (Map.Entry<String, Object> v : vars.entrySet()) {
                    variables.put(v.getKey(), resolve(v.getValue(), where + "[1]." + v.getKey()));
                }
            } else {
                throw new TemplateException(where + " takes a string or [string, {variables}], got " + describe(arg));
            }
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                int start = text.indexOf("${", i);
                if (start < 0) {
                    out.append(text, i, text.length());
                    break;
                }
                out.append(text, i, start);
                int end = text.indexOf('}', start + 2);
                if (end < 0) {
                    throw new TemplateException(where + ": unterminated ${ in '" + text + "'");
                }
                String inner = text.substring(start + 2, end);
                if (inner.startsWith("!")) {
                    out.append("${").append(inner, 1, inner.length()).append('}');
                } else {
                    String name = inner.strip();
                    if (name.isEmpty()) {
                        throw new TemplateException(where + ": empty ${} in '" + text + "'");
                    }
                    out.append(subVariable(name, variables, where));
                }
                i = end + 1;
            }
            return out.toString();
        }

        private String subVariable(String name, Map<String, Object> variables, String where) {
            String at = where + " ${" + name + "}";
            if (variables.containsKey(name)) {
                return stringValue(variables.get(name), at);
            }
            if (!name.startsWith("AWS::") && name.contains(".") && !parameterValues.containsKey(name)) {
                int dot = name.indexOf('.');
                return attribute(name.substring(0, dot), name.substring(dot + 1), at);
            }
            Object value = ref(name, at);
            if (value == NO_VALUE) {
                throw new TemplateException(at + ": AWS::NoValue cannot be used inside Fn::Sub");
            }
            return stringValue(value, at);
        }

        private Object findInMap(Object arg, String where) {
            List<Object> args = requireList(arg, where);
            if (args.size() != 3 && args.size() != 4) {
                throw new TemplateException(where + " takes [MapName, TopLevelKey, SecondLevelKey], got "
                        + args.size() + " values");
            }
            String mapName = stringValue(resolve(args.get(0), where + "[0]"), where + "[0]");
            String top = stringValue(resolve(args.get(1), where + "[1]"), where + "[1]");
            String second = stringValue(resolve(args.get(2), where + "[2]"), where + "[2]");
            Object defaultValue = null;
            if (args.size() == 4) {
                Map<String, Object> options4 = requireMap(args.get(3), where + "[3]");
                if (!options4.containsKey("DefaultValue")) {
                    throw new TemplateException(where + "[3] must be {DefaultValue: ...}");
                }
                defaultValue = options4.get("DefaultValue");
            }
            if (!mappings.containsKey(mapName)) {
                if (defaultValue != null) {
                    return resolve(defaultValue, where + "[3]");
                }
                throw new TemplateException(where + ": mapping " + mapName + " is not defined in Mappings");
            }
            Map<String, Object> map = requireMap(mappings.get(mapName), "Mappings." + mapName);
            Object level1 = map.get(top);
            Object value = level1 == null ? null : requireMap(level1, "Mappings." + mapName + "." + top).get(second);
            if (value == null) {
                if (defaultValue != null) {
                    return resolve(defaultValue, where + "[3]");
                }
                throw new TemplateException(where + ": Mappings." + mapName + " has no entry " + top + "." + second);
            }
            return resolve(value, "Mappings." + mapName + "." + top + "." + second);
        }

        private Object cidr(Object arg, String where) {
            List<Object> args = requireList(arg, where);
            if (args.size() != 3) {
                throw new TemplateException(where + " takes [ipBlock, count, cidrBits], got " + args.size()
                        + " values");
            }
            String block = stringValue(resolve(args.get(0), where + "[0]"), where + "[0]");
            int count = intValue(resolve(args.get(1), where + "[1]"), where + "[1]");
            int bits = intValue(resolve(args.get(2), where + "[2]"), where + "[2]");
            String[] parts = block.split("/");
            if (parts.length != 2 || parts[0].contains(":")) {
                throw new TemplateException(where + ": '" + block + "' is not an IPv4 CIDR block (IPv6 is not "
                        + "supported locally)");
            }
            long base = 0;
            String[] octets = parts[0].split("\\.");
            if (octets.length != 4) {
                throw new TemplateException(where + ": '" + block + "' is not an IPv4 CIDR block");
            }
            for (String octet : octets) {
                int o = intValue(octet, where + "[0]");
                if (o < 0 || o > 255) {
                    throw new TemplateException(where + ": '" + block + "' is not an IPv4 CIDR block");
                }
                base = (base << 8) | o;
            }
            int prefix = intValue(parts[1], where + "[0]");
            int newPrefix = 32 - bits;
            if (prefix < 0 || prefix > 32 || bits < 1 || newPrefix < prefix || count < 1 || count > 256
                    || (long) count > (1L << (newPrefix - prefix))) {
                throw new TemplateException(where + ": cannot carve " + count + " subnets of /" + newPrefix
                        + " out of " + block);
            }
            long network = base & (prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL);
            List<Object> subnets = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long address = network + ((long) i << bits);
                subnets.add(((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255)
                        + "." + (address & 255) + "/" + newPrefix);
            }
            return subnets;
        }

        private static int intValue(Object value, String where) {
            String text = numberText(value);
            try {
                return Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new TemplateException(where + ": '" + text + "' is not an integer");
            }
        }

        private static String stringValue(Object value, String where) {
            if (value == null || value instanceof Map<?, ?> || value instanceof List<?> || value == NO_VALUE) {
                throw new TemplateException(where + " must resolve to a string, got " + describe(value));
            }
            return numberText(value);
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> asMap(Object value) {
            return value instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
        }

        // ------------------------------------------------------------------ functions

        private FunctionDef function(ResolvedResource resource) {
            String id = resource.logicalId();
            String at = "Resources." + id + ".Properties";
            Map<String, Object> p = resource.properties();
            if ("Image".equals(p.get("PackageType"))) {
                throw new TemplateException(at + ".PackageType Image is not supported locally; use a Zip (jar) "
                        + "function");
            }
            String handler = requiredString(p, "Handler", at);
            String runtime = p.get("Runtime") == null ? "" : stringValue(p.get("Runtime"), at + ".Runtime");
            if (!(p.get("CodeUri") instanceof String codeUri)) {
                throw new TemplateException(at + ".CodeUri must be a local path (e.g. a jar) to run locally, got "
                        + describe(p.get("CodeUri")));
            }
            int memory = p.get("MemorySize") == null ? 128 : intValue(p.get("MemorySize"), at + ".MemorySize");
            int timeout = p.get("Timeout") == null ? 3 : intValue(p.get("Timeout"), at + ".Timeout");
            if (timeout < 1) {
                throw new TemplateException(at + ".Timeout must be at least 1 second, got " + timeout);
            }
            Map<String, String> environment = new LinkedHashMap<>();
            if (p.get("Environment") != null) {
                Map<String, Object> env = requireMap(p.get("Environment"), at + ".Environment");
                if (env.get("Variables") != null) {
                    requireMap(env.get("Variables"), at + ".Environment.Variables").forEach((k, v) ->
                            environment.put(k, stringValue(v, at + ".Environment.Variables." + k)));
                }
            }
            List<EventSource> events = new ArrayList<>();
            Map<String, Object> rawEvents = asMap(resourceProperties.get(id).get("Events"));
            if (p.get("Events") != null) {
                requireMap(p.get("Events"), at + ".Events").forEach((name, ev) ->
                        events.add(event(id, name, requireMap(ev, at + ".Events." + name),
                                asMap(rawEvents.get(name)))));
            }
            Map<String, Object> invokeConfig = p.get("EventInvokeConfig") == null ? Map.of()
                    : requireMap(p.get("EventInvokeConfig"), at + ".EventInvokeConfig");
            String logGroup = "/aws/lambda/" + resource.physicalId();
            FunctionDef.Logging logging = FunctionDef.Logging.TEXT;
            if (p.get("LoggingConfig") != null) {
                Map<String, Object> config = requireMap(p.get("LoggingConfig"), at + ".LoggingConfig");
                if (config.get("LogGroup") != null) {
                    logGroup = stringValue(config.get("LogGroup"), at + ".LoggingConfig.LogGroup");
                }
                String format = config.get("LogFormat") == null ? "Text"
                        : stringValue(config.get("LogFormat"), at + ".LoggingConfig.LogFormat");
                if (!format.equals("Text") && !format.equals("JSON")) {
                    throw new TemplateException(at + ".LoggingConfig.LogFormat must be Text or JSON, got " + format);
                }
                String level = config.get("ApplicationLogLevel") == null ? (format.equals("JSON") ? "INFO" : "")
                        : stringValue(config.get("ApplicationLogLevel"), at + ".LoggingConfig.ApplicationLogLevel");
                logging = new FunctionDef.Logging(format, level);
            }
            Path code = templateFile.getParent().resolve(codeUri).normalize();
            // SnapStart snapshots published versions only, which is what triggers reach through AutoPublishAlias.
            boolean snapStart = p.get("SnapStart") instanceof Map<?, ?> snap
                    && "PublishedVersions".equals(String.valueOf(snap.get("ApplyOn")))
                    && p.get("AutoPublishAlias") != null;
            return new FunctionDef(id, resource.physicalId(), handler, runtime, code, memory, timeout, environment,
                    events, invokeConfig, logGroup, logging, arn("lambda", "function:" + resource.physicalId()),
                    snapStart);
        }

        private static String requiredString(Map<String, Object> props, String key, String at) {
            Object value = props.get(key);
            if (value == null) {
                throw new TemplateException(at + "." + key + " is required");
            }
            return stringValue(value, at + "." + key);
        }

        private EventSource event(String functionId, String name, Map<String, Object> event, Map<String, Object> raw) {
            String at = "Resources." + functionId + ".Properties.Events." + name;
            String type = requiredString(event, "Type", at);
            Map<String, Object> props = event.get("Properties") == null ? Map.of()
                    : requireMap(event.get("Properties"), at + ".Properties");
            if (!type.equals("S3")) {
                return new EventSource.Generic(name, type, props);
            }
            Map<String, Object> rawProps = asMap(raw.get("Properties"));
            if (!(rawProps.get("Bucket") instanceof Map<?, ?> bucketRef) || bucketRef.size() != 1
                    || !(bucketRef.get("Ref") instanceof String bucketId)) {
                throw new TemplateException(at + ".Properties.Bucket must be !Ref to an AWS::S3::Bucket of this "
                        + "template (SAM requires it), got " + describe(rawProps.get("Bucket")));
            }
            if (!ResolvedResource.BUCKET.equals(resourceTypes.get(bucketId))) {
                throw new TemplateException(at + ".Properties.Bucket refers to " + bucketId
                        + ", which is not an AWS::S3::Bucket of this template");
            }
            requireExisting(bucketId, at + ".Properties.Bucket");
            List<String> s3Events = new ArrayList<>();
            Object rawList = props.get("Events");
            if (rawList instanceof String s) {
                s3Events.add(s);
            } else if (rawList instanceof List<?> list && !list.isEmpty()) {
                for (int i = 0; i < list.size(); i++) {
                    s3Events.add(stringValue(list.get(i), at + ".Properties.Events[" + i + "]"));
                }
            } else {
                throw new TemplateException(at + ".Properties.Events must list S3 event types such as "
                        + "s3:ObjectCreated:*, got " + describe(rawList));
            }
            List<EventSource.FilterRule> rules = new ArrayList<>();
            if (props.get("Filter") != null) {
                Map<String, Object> filter = requireMap(props.get("Filter"), at + ".Properties.Filter");
                Map<String, Object> key = requireMap(filter.get("S3Key"), at + ".Properties.Filter.S3Key");
                List<Object> list = requireList(key.get("Rules"), at + ".Properties.Filter.S3Key.Rules");
                for (int i = 0; i < list.size(); i++) {
                    String ruleAt = at + ".Properties.Filter.S3Key.Rules[" + i + "]";
                    Map<String, Object> rule = requireMap(list.get(i), ruleAt);
                    String ruleName = requiredString(rule, "Name", ruleAt).toLowerCase(Locale.ROOT);
                    if (!ruleName.equals("prefix") && !ruleName.equals("suffix")) {
                        throw new TemplateException(ruleAt + ".Name must be prefix or suffix, got " + ruleName);
                    }
                    rules.add(new EventSource.FilterRule(ruleName, requiredString(rule, "Value", ruleAt)));
                }
            }
            return new EventSource.S3(name, bucketId, s3Events, rules);
        }
    }

    /** Text of a YAML scalar: integral numbers without a fraction, booleans lowercase. */
    static String numberText(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }
}
