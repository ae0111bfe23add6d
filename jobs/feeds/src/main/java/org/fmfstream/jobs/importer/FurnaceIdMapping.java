package org.fmfstream.jobs.importer;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which furnace id each recording is published under. Given as {@code NAME=ID} entries, optionally
 * one bare {@code ID} for every recording not named; by default a recording's id is its NAME.
 */
public final class FurnaceIdMapping {
    private final Map<String, String> byName;
    private final String fallback;

    private FurnaceIdMapping(Map<String, String> byName, String fallback) {
        this.byName = byName;
        this.fallback = fallback;
    }

    /** Every recording under its own NAME. */
    public static FurnaceIdMapping byName() {
        return new FurnaceIdMapping(Map.of(), null);
    }

    public static FurnaceIdMapping parse(List<String> specs) {
        Map<String, String> byName = new LinkedHashMap<>();
        String fallback = null;
        for (String spec : specs) {
            String s = spec.trim();
            int eq = s.indexOf('=');
            if (eq < 0) {
                if (s.isEmpty()) {
                    throw new IllegalArgumentException("--furnace-id must not be empty");
                }
                if (fallback != null && !fallback.equals(s)) {
                    throw new IllegalArgumentException("--furnace-id gives two ids for all recordings: '"
                            + fallback + "' and '" + s + "'; use NAME=ID to map single recordings");
                }
                fallback = s;
            } else {
                String name = s.substring(0, eq).trim();
                String id = s.substring(eq + 1).trim();
                if (name.isEmpty() || id.isEmpty()) {
                    throw new IllegalArgumentException("--furnace-id '" + spec + "' must be NAME=ID or ID");
                }
                String before = byName.put(name, id);
                if (before != null && !before.equals(id)) {
                    throw new IllegalArgumentException("--furnace-id maps '" + name + "' twice: '" + before
                            + "' and '" + id + "'");
                }
            }
        }
        return new FurnaceIdMapping(byName, fallback);
    }

    /** Rejects a mapping for a recording that is not there: a typo would silently publish under NAME. */
    public void checkNames(Collection<String> available) {
        for (String name : byName.keySet()) {
            if (!available.contains(name)) {
                throw new IllegalArgumentException("--furnace-id maps '" + name + "', which is not a recording here "
                        + "(recordings: " + available + ")");
            }
        }
    }

    public String furnaceId(String name) {
        String id = byName.get(name);
        if (id != null) {
            return id;
        }
        return fallback != null ? fallback : name;
    }
}
