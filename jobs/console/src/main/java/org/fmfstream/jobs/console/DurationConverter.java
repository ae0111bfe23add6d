package org.fmfstream.jobs.console;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way operators write them: {@code 500ms}, {@code 90s}, {@code 10m},
 * {@code 2h}, {@code 1d}, combinations such as {@code 1h30m}, decimals such as {@code 1.5h}, an
 * optional leading minus (a current lag), and ISO-8601 ({@code PT10M}) for completeness.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String text = value == null ? "" : value.trim();
        if (text.isEmpty()) {
            throw new TypeConversionException("a duration is needed, e.g. 90s, 10m or 2h");
        }
        if (text.startsWith("P") || text.startsWith("-P")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not an ISO-8601 duration such as PT10M");
            }
        }
        boolean negative = text.startsWith("-");
        String body = negative ? text.substring(1) : text;
        if (body.matches("\\d+(\\.\\d+)?")) {
            throw new TypeConversionException("duration '" + value + "' needs a unit, e.g. " + body + "s");
        }
        if (!WHOLE.matcher(body).matches()) {
            throw new TypeConversionException("'" + value
                    + "' is not a duration; use a number and a unit (ms, s, m, h, d), e.g. 90s, 10m, 1h30m");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(body);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
        }
        try {
            Duration d = Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
            return negative ? d.negated() : d;
        } catch (ArithmeticException e) {
            throw new TypeConversionException("duration '" + value + "' is too long (at most about 292 years)");
        }
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw new IllegalStateException("unit " + unit);
        };
    }
}
