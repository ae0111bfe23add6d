package org.fmfstream.jobs.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fmfstream.jobs.replay.ReplayRun;
import org.fmfstream.schemas.Topics;

/**
 * The topics one view reads: the inputs (frames, currents), one run's outputs (events, masks) and
 * incidents, and optionally a second run's events to compare against.
 *
 * @param runLabel     name of the run shown ({@code live} or a replay run's name)
 * @param compareEvents events topic of the compared run, or null
 * @param compareLabel name of the compared run, or null
 */
public record ViewTopics(String frames, String currents, String events, String masks, String alerts,
                         String runLabel, String compareEvents, String compareLabel) {

    public ViewTopics {
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(currents, "currents");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(masks, "masks");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(runLabel, "runLabel");
    }

    /** The live job's topics under their default names. */
    public static ViewTopics live() {
        return new ViewTopics(Topics.VIDEO_FRAMES, Topics.CURRENT_SAMPLES, Topics.ANOMALY_EVENTS,
                Topics.ANOMALY_MASKS, Topics.ALERTS, "live", null, null);
    }

    /** A replay run's events and masks over the live inputs (a replay reads the same frames and currents). */
    public ViewTopics forRun(String run) {
        ReplayRun r = new ReplayRun(run);
        return new ViewTopics(frames, currents, r.eventsTopic(), r.masksTopic(), alerts, run, compareEvents,
                compareLabel);
    }

    /** These topics plus a second run's events (a replay run's name, or {@code live}). */
    public ViewTopics comparedWith(String run) {
        String topic = run.equals("live") ? Topics.ANOMALY_EVENTS : new ReplayRun(run).eventsTopic();
        return new ViewTopics(frames, currents, events, masks, alerts, runLabel, topic, run);
    }

    /** Every topic the view needs. */
    public List<String> all() {
        List<String> out = new ArrayList<>(List.of(frames, currents, events, masks, alerts));
        if (compareEvents != null) {
            out.add(compareEvents);
        }
        return out;
    }
}
