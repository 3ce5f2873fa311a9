package com.edgeinventory.local.trigger.schedule;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** EventBridge {@code rate(...)} schedule expressions; {@code cron(...)} is not emulated. */
public final class ScheduleRate {

    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");

    private ScheduleRate() {
    }

    /** The period of a rate expression; empty for anything else (cron, malformed). */
    public static Optional<Duration> parse(String expression) {
        Matcher m = RATE.matcher(expression == null ? "" : expression.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2);
        boolean singular = !unit.endsWith("s");
        if (value == 0 || (value == 1) != singular) {
            return Optional.empty();
        }
        return Optional.of(switch (unit.replaceAll("s$", "")) {
            case "minute" -> Duration.ofMinutes(value);
            case "hour" -> Duration.ofHours(value);
            default -> Duration.ofDays(value);
        });
    }
}
