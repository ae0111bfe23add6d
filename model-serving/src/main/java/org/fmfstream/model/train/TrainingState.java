package org.fmfstream.model.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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

    public TrainingState {
        history = List.copyOf(history);
    }

    TrainingState after(EpochRecord epoch, String checkpointName) {
        List<EpochRecord> h = new ArrayList<>(history);
        h.add(epoch);
        return new TrainingState(config, epoch.epoch(), (int) epoch.steps(), checkpointName, h);
    }

    public void write(Path runDir) throws IOException {
        JsonObject o = new JsonObject();
        o.add("config", config.toJson());
        o.addProperty("epochsDone", epochsDone);
        o.addProperty("steps", steps);
        o.addProperty("checkpoint", checkpoint);
        JsonObject optimizer = new JsonObject();
        optimizer.addProperty("name", "adam");
        optimizer.addProperty("beta1", ResumableAdam.BETA1);
        optimizer.addProperty("beta2", ResumableAdam.BETA2);
        optimizer.addProperty("epsilon", ResumableAdam.EPSILON);
        optimizer.addProperty("weightDecay", config.weightDecay());
        optimizer.addProperty("updates", steps);
        o.add("optimizer", optimizer);
        JsonArray h = new JsonArray();
        history.forEach(e -> h.add(e.toJson()));
        o.add("history", h);
        Path file = runDir.resolve(FILE);
        Path temp = runDir.resolve("." + FILE + ".tmp");
        Files.writeString(temp, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(o) + "\n",
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
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            List<EpochRecord> history = new ArrayList<>();
            o.getAsJsonArray("history").forEach(e -> history.add(EpochRecord.fromJson(e.getAsJsonObject())));
            return new TrainingState(TrainingConfig.fromJson(o.getAsJsonObject("config")),
                    o.get("epochsDone").getAsInt(), o.get("steps").getAsInt(),
                    o.get("checkpoint").isJsonNull() ? null : o.get("checkpoint").getAsString(), history);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a readable training state: " + e.getMessage(), e);
        }
    }
}
