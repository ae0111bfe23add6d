package org.fmfstream.jobs.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the soak reads off the running cluster once a minute.
 *
 * @param minute            minutes since the job was submitted
 * @param rssMiB            resident memory of each process (JobManager, TaskManagers, broker, simulator), in order
 * @param jobState          the job's state as the JobManager reports it
 * @param checkpoints       completed checkpoints so far
 * @param failedCheckpoints failed checkpoints so far
 * @param stateBytes        the full state of the latest completed checkpoint
 * @param checkpointMillis  end-to-end duration of the latest completed checkpoint
 * @param inputLag          records of the input topics the job's group has not committed yet (frames + currents)
 * @param eventsCommitted   anomaly events a read_committed consumer can read, in all
 */
public record SoakSample(double minute, Map<String, Double> rssMiB, String jobState, long checkpoints,
                         long failedCheckpoints, long stateBytes, long checkpointMillis, long inputLag,
                         long eventsCommitted) {

    public SoakSample {
        rssMiB = Collections.unmodifiableMap(new LinkedHashMap<>(rssMiB));
    }
}
