package org.fmfstream.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #FILE} in a run directory: the configuration, how far the run got, where its last
 * checkpoint is, the optimiser's hyper-parameters and every epoch's metrics. It is rewritten
 * (atomically) only after a checkpoint is complete, so it never points at a half-written one.
 *
 * @param checkpoint the last checkpoint's folder name under the run directory ({@code epoch-N}), or
 *                   null before the first epoch ends
 */
public record TrainingState(TrainingConfig config, int epochsDone, int steps, String checkpoint,
                            List<EpochRecord> history) {
    public static final String FILE = "training-state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public TrainingState {
        history = List.copyOf(history);
    }

    TrainingState after(EpochRecord epoch, String checkpointName) {
        List<EpochRecord> h = new ArrayList<>(history);
        h.add(epoch);
        return new TrainingState(config, epoch.epoch(), (int) epoch.steps(), checkpointName, h);
    }

    public void write(Path runDir) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.set("config", config.toJson());
        o.put("epochsDone", epochsDone);
        o.put("steps", steps);
        o.put("checkpoint", checkpoint);
        ObjectNode optimizer = o.putObject("optimizer");
        optimizer.put("name", "adam");
        optimizer.put("beta1", ResumableAdam.BETA1);
        optimizer.put("beta2", ResumableAdam.BETA2);
        optimizer.put("epsilon", ResumableAdam.EPSILON);
        optimizer.put("weightDecay", config.weightDecay());
        optimizer.put("updates", steps);
        ArrayNode h = o.putArray("history");
        history.forEach(e -> h.add(e.toJson()));
        Path file = runDir.resolve(FILE);
        Path temp = runDir.resolve("." + FILE + ".tmp");
        Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n",
                StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static TrainingState read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(runDir + " holds no training run to resume (no " + FILE + ")");
        }
        try {
            JsonNode o = JSON.readTree(text);
            List<EpochRecord> history = new ArrayList<>();
            o.required("history").forEach(e -> history.add(EpochRecord.fromJson(e)));
            JsonNode checkpoint = o.required("checkpoint");
            return new TrainingState(TrainingConfig.fromJson(o.required("config")),
                    o.required("epochsDone").intValue(), o.required("steps").intValue(),
                    checkpoint.isNull() ? null : checkpoint.textValue(), history);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a readable training state: " + e.getMessage(), e);
        }
    }
}
