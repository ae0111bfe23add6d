package org.fmfstream.jobs.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.fmfstream.jobs.kafka.ContractSamples;
import org.junit.jupiter.api.Test;

/** What the page is sent: thinned frames, 120 s of current, the timeline, masks and problems. */
class FurnaceBoardTest {

    private final ObjectMapper json = new ObjectMapper();
    private final FurnaceBoard board = new FurnaceBoard(ViewTopics.live(), 4);
    private final List<JsonNode> sent = new ArrayList<>();

    FurnaceBoardTest() {
        board.onUpdate(m -> sent.add(read(m)));
    }

    private JsonNode read(String message) {
        try {
            return json.readTree(message);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + message, e);
        }
    }

    @Test
    void framesAreThinnedToTheDisplayRateAndCarryTheirGroundTruth() {
        long t = 1_000_000_000L;
        for (int seq = 0; seq < 25; seq++) {             // one second of camera frames, 40 ms apart
            board.frame(ContractSamples.frame("F01", seq, true), t + seq * 40_000_000L);
        }
        List<JsonNode> frames = sent.stream().filter(m -> m.get("type").asText().equals("frame")).toList();
        assertThat(frames).hasSize(4);                   // 4 per second: 0, 280, 560, 840 ms
        JsonNode first = frames.get(0).get("body");
        assertThat(first.get("image").asText()).startsWith("data:image/png;base64,");
        assertThat(first.get("truth").asText()).isNotEmpty();
        assertThat(frames.get(1).get("body").get("seq").asLong()).isEqualTo(7);
    }

    @Test
    void currentsKeepTheLast120SecondsAndEventsMasksAndIncidentsReachTheSnapshot() throws Exception {
        for (int block = 0; block < 200; block++) {      // 200 blocks of 2 readings at 2 Hz: 200 s
            board.currents(ContractSamples.currentBlock("F02", block, 2));
        }
        board.event(ContractSamples.event("F02", 3, true), false);
        board.event(ContractSamples.event("F02", 4, false), false);
        board.event(ContractSamples.event("F02", 3, false), true);
        board.mask(ContractSamples.mask("F02", 3));

        JsonNode snapshot = read(board.snapshot());
        assertThat(snapshot.get("type").asText()).isEqualTo("snapshot");
        JsonNode tile = snapshot.get("body").get("furnaces").get("F02");
        JsonNode currents = tile.get("currents");
        long span = currents.get(currents.size() - 1).get(0).asLong() - currents.get(0).get(0).asLong();
        assertThat(span).isLessThanOrEqualTo(FurnaceBoard.CURRENT_SPAN_MICROS).isGreaterThan(119_000_000L);
        assertThat(tile.get("events")).hasSize(2);
        assertThat(tile.get("events").get(0).get("decision").asText()).isEqualTo("ANOMALY");
        assertThat(tile.get("events").get(0).get("clip")).hasSize(10);
        assertThat(tile.get("compared")).hasSize(1);
        assertThat(tile.get("masks").get(0).get("image").asText()).startsWith("data:image/png;base64,");
        long end = tile.get("events").get(0).get("end").asLong();
        assertThat(board.maskOf("F02", end)).isNotNull();
        assertThat(board.eventOf("F02", end).get("p").asDouble()).isEqualTo(0.93);
        assertThat(board.eventOf("F09", end)).isNull();
    }

    @Test
    void problemsAreSentOnceAndClearedWhenSolved() {
        board.problem("fmf.anomaly.events", "Topic fmf.anomaly.events does not exist (yet)");
        board.problem("fmf.anomaly.events", "Topic fmf.anomaly.events does not exist (yet)");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).get("body").get("problems").get(0).asText()).contains("does not exist");
        board.problem("fmf.anomaly.events", null);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).get("body").get("problems")).isEmpty();
        assertThat(read(board.snapshot()).get("body").get("meta").get("run").asText()).isEqualTo("live");
    }
}
