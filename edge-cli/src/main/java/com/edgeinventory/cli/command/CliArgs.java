package com.edgeinventory.cli.command;

import com.edgeinventory.cli.UsageException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parsed options of one subcommand. Flags take a value ({@code --region eu-west-1} or {@code --region=eu-west-1});
 * {@code --parameter-overrides} takes one or more {@code Key=Value} (or SAM's
 * {@code ParameterKey=K,ParameterValue=V}) and may be repeated.
 *
 * @param command            the subcommand
 * @param options            flag values by long name (without dashes)
 * @param positional         arguments that are not flags
 * @param parameterOverrides {@code --parameter-overrides} in order
 * @param help               {@code -h} / {@code --help} was given
 */
public record CliArgs(String command, Map<String, String> options, List<String> positional,
                      Map<String, String> parameterOverrides, boolean help) {

    static final String PARAMETER_OVERRIDES = "parameter-overrides";
    private static final Pattern SAM_PARAMETER = Pattern.compile("ParameterKey=([^,]+),ParameterValue=(.*)");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    public CliArgs {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        positional = List.copyOf(positional);
        parameterOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(parameterOverrides));
    }

    /**
     * @param command  subcommand name, for messages
     * @param args     arguments after the subcommand
     * @param allowed  long flag names the subcommand accepts (besides help)
     * @param aliases  short flags to long names, e.g. {@code e -> event}
     */
    static CliArgs parse(String command, List<String> args, Set<String> allowed, Map<String, String> aliases) {
        return parse(command, args, allowed, aliases, Set.of());
    }

    /**
     * @param flags long names among {@code allowed} that take no value; present = {@code "true"}, see
     *              {@link #flag(String)}
     */
    static CliArgs parse(String command, List<String> args, Set<String> allowed, Map<String, String> aliases,
                         Set<String> flags) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
                continue;
            }
            if (arg.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            String name;
            String inlineValue = null;
            if (arg.startsWith("--")) {
                name = arg.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inlineValue = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
            } else {
                String alias = aliases.get(arg.substring(1));
                if (alias == null) {
                    throw new UsageException(command, "Unknown option " + arg + " for " + command);
                }
                name = alias;
            }
            if (!allowed.contains(name)) {
                throw new UsageException(command, "Unknown option --" + name + " for " + command);
            }
            if (name.equals(PARAMETER_OVERRIDES)) {
                List<String> values = new ArrayList<>();
                if (inlineValue != null) {
                    values.add(inlineValue);
                } else {
                    while (i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
                        values.add(args.get(++i));
                    }
                }
                if (values.isEmpty()) {
                    throw new UsageException(command, "--parameter-overrides needs at least one Key=Value");
                }
                for (String value : values) {
                    addOverrides(command, value, overrides);
                }
                continue;
            }
            if (flags.contains(name)) {
                if (inlineValue != null) {
                    throw new UsageException(command, "--" + name + " takes no value");
                }
                if (options.put(name, "true") != null) {
                    throw new UsageException(command, "Option --" + name + " is given twice");
                }
                continue;
            }
            String value = inlineValue;
            if (value == null) {
                if (i + 1 >= args.size() || (args.get(i + 1).startsWith("-") && !args.get(i + 1).equals("-"))) {
                    throw new UsageException(command, "Option " + arg + " needs a value");
                }
                value = args.get(++i);
            }
            if (value.isBlank()) {
                throw new UsageException(command, "Option --" + name + " needs a non-empty value");
            }
            if (options.containsKey(name)) {
                throw new UsageException(command, "Option --" + name + " is given twice");
            }
            options.put(name, value);
        }
        return new CliArgs(command, options, positional, overrides, help);
    }

    private static void addOverrides(String command, String token, Map<String, String> overrides) {
        List<String> parts = new ArrayList<>();
        String trimmed = token.strip();
        if (SAM_PARAMETER.matcher(trimmed).matches()) {
            parts.add(trimmed);
        } else {
            String[] split = trimmed.split("\\s+");
            boolean allAssignments = split.length > 1;
            for (String s : split) {
                allAssignments &= s.indexOf('=') > 0;
            }
            if (allAssignments) {
                parts.addAll(List.of(split));
            } else {
                parts.add(token);
            }
        }
        for (String part : parts) {
            var sam = SAM_PARAMETER.matcher(part);
            String key;
            String value;
            if (sam.matches()) {
                key = sam.group(1);
                value = sam.group(2);
            } else {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException(command, "--parameter-overrides expects Key=Value, got '" + part + "'");
                }
                key = part.substring(0, eq).strip();
                value = part.substring(eq + 1);
            }
            if (overrides.containsKey(key)) {
                throw new UsageException(command, "Parameter " + key + " is overridden twice");
            }
            overrides.put(key, value);
        }
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** Whether a value-less flag (see {@link #parse(String, List, Set, Map, Set)}) was given. */
    public boolean flag(String name) {
        return options.containsKey(name);
    }

    /** {@code --endpoint}, validated as an http(s) URL without a path. */
    public Optional<URI> endpoint() {
        return option("endpoint").map(value -> {
            URI uri;
            try {
                uri = new URI(value);
            } catch (URISyntaxException e) {
                throw new UsageException(command, "--endpoint '" + value + "' is not a URL");
            }
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new UsageException(command, "--endpoint must be an http(s) URL like http://127.0.0.1:5000, got '"
                        + value + "'");
            }
            if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
                throw new UsageException(command, "--endpoint must not have a path, got '" + value + "'");
            }
            return URI.create(uri.getScheme() + "://" + uri.getAuthority());
        });
    }

    /** {@code --region}, else AWS_REGION, else AWS_DEFAULT_REGION, else eu-west-1. */
    public String region(Map<String, String> environment) {
        String region = option("region")
                .or(() -> Optional.ofNullable(environment.get("AWS_REGION")).filter(s -> !s.isBlank()))
                .or(() -> Optional.ofNullable(environment.get("AWS_DEFAULT_REGION")).filter(s -> !s.isBlank()))
                .orElse("eu-west-1");
        if (!REGION.matcher(region).matches()) {
            throw new UsageException(command, "--region '" + region + "' is not an AWS region name like eu-west-1");
        }
        return region;
    }

    /** Checks region names given on the command line. */
    public static List<String> regionList(String command, String text) {
        List<String> regions = java.util.Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .distinct().toList();
        if (regions.isEmpty()) {
            throw new UsageException(command, "--edges needs at least one region");
        }
        for (String region : regions) {
            requireRegionName(command, region);
        }
        return regions;
    }

    public static void requireRegionName(String command, String region) {
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            throw new UsageException(command, "'" + region + "' is not a region name like eu-west-1");
        }
    }

    /**
     * A number option of {@code command} in {@code [min, max]}, {@code fallback} when absent; a usage error (exit 2)
     * naming the option otherwise.
     */
    double number(String command, String option, double fallback, double min, double max) {
        String text = option(option).orElse(null);
        if (text == null) {
            return fallback;
        }
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command, "--" + option + " must be a number, got '" + text + "'");
        }
        if (!(v >= min && v <= max)) {
            throw new UsageException(command, "--" + option + " must be " + plain(min) + ".." + plain(max)
                    + ", got " + text);
        }
        return v;
    }

    /** A number as a person writes it: no ".0" on whole numbers. */
    static String plain(double v) {
        return v == Math.rint(v) ? String.format(java.util.Locale.ROOT, "%.0f", v) : Double.toString(v);
    }
}
