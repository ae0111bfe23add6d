package org.fmfstream.jobs.replay;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;

/**
 * The names a replay run owns: its output topics {@code fmf.replay.<run>.events}, {@code .masks},
 * {@code .deadletters}, its consumer group and transactional id prefix {@code fmf-replay-<run>}, and
 * its local folder {@code .fmf/replay/<run>} (checkpoints, comparison report). Separate names per run
 * keep a replay away from the live job's output, offsets and transactions.
 */
public record ReplayRun(String name) {
    public static final String TOPIC_PREFIX = "fmf.replay.";

    public ReplayRun {
        // Kafka topic names allow [a-zA-Z0-9._-], 249 characters; the run name is part of three.
        if (name == null || !name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("--run: '" + name + "' must be 1-100 characters of letters,"
                    + " digits, '.', '_' and '-' (not starting with '.'): it becomes part of topic names");
        }
    }

    /** A fresh name from the wall clock, {@code r20261127-004407}. */
    public static ReplayRun generated() {
        return new ReplayRun("r" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC)));
    }

    public String eventsTopic() {
        return TOPIC_PREFIX + name + ".events";
    }

    public String masksTopic() {
        return TOPIC_PREFIX + name + ".masks";
    }

    public String deadLettersTopic() {
        return TOPIC_PREFIX + name + ".deadletters";
    }

    public List<String> outputTopics() {
        return List.of(eventsTopic(), masksTopic(), deadLettersTopic());
    }

    public String groupId() {
        return "fmf-replay-" + name;
    }

    /** The run's local folder under {@code base} (normally {@code .fmf/replay}). */
    public Path dir(Path base) {
        return base.resolve(name);
    }

    /** Refuses a run whose output would land on any of the {@code liveTopics} (input or live output). */
    public void requireApartFrom(Collection<String> liveTopics) {
        for (String t : outputTopics()) {
            if (liveTopics.contains(t)) {
                throw new IllegalArgumentException("replay run '" + name + "' would write to " + t
                        + ", a topic of the live job; choose another --run name");
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
