package org.fmfstream.model.serve;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which model scored a window: the stream stamps these three values on every AnomalyEvent
 * ({@code ModelInfo}), so replays and upgrades can be compared.
 *
 * @param name    model name, e.g. {@code fmformer-s}
 * @param version version as shipped (model card); {@link #UNVERSIONED} when none was given
 * @param sha256  lower-case hex SHA-256 of the file that was loaded
 */
public record ModelIdentity(String name, String version, String sha256) {

    public static final String UNVERSIONED = "unversioned";

    private static final Pattern HEX_256 = Pattern.compile("[0-9a-f]{64}");

    public ModelIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sha256, "sha256");
        if (name.isBlank()) {
            throw new IllegalArgumentException("model name must not be blank");
        }
        if (version.isBlank()) {
            throw new IllegalArgumentException("model version must not be blank");
        }
        if (!HEX_256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got '" + sha256 + "'");
        }
    }
}
