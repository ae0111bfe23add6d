package org.fmfstream.jobs.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fmfstream.jobs.cli.FmfCli;
import org.fmfstream.jobs.console.DurationConverter;
import org.fmfstream.jobs.kafka.KafkaSettings;
import org.fmfstream.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine;

class SimulateCommandTest {
    private final CollectingSink sink = new CollectingSink();
    private final List<String> opened = new ArrayList<>();
    private KafkaSettings kafkaSeen;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new SimulateCommand((kafka, video, current) -> {
            kafkaSeen = kafka;
            opened.add(video + " " + current);
            return sink;
        }));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void isRegisteredAsFmfSimulate() {
        assertThat(FmfCli.commandLine().getSubcommands()).containsKey("simulate");
    }

    @Test
    void fastRunPublishesEverythingAndSummarises() {
        int code = run("--fast", "--duration", "10s", "--furnaces", "2", "--seed", "5", "--fps", "5",
                "--drop-fraction", "0", "--episodes-per-hour", "100", "--min-episode-length", "5s",
                "--max-episode-length", "10s", "--bootstrap-servers", "broker:9093");

        assertThat(code).as(err.toString()).isZero();
        assertThat(sink.frames).hasSize(2 * 50);
        assertThat(sink.samples).hasSize(2 * 20);
        assertThat(sink.closed).isTrue();
        assertThat(opened).containsExactly(Topics.VIDEO_FRAMES + " " + Topics.CURRENT_SAMPLES);
        assertThat(kafkaSeen.bootstrapServers()).isEqualTo("broker:9093");
        // Fast without --start: the fixed default start, so runs repeat exactly.
        assertThat(sink.samples.get(0).getEventTimeMicros()).isEqualTo(SimulatorConfig.DEFAULT_START_EPOCH_MICROS);
        assertThat(out.toString())
                .contains("Simulating 2 furnace(s)", "as fast as possible", "Simulation complete",
                        "F01: 50 frames", "F02: 50 frames", "20 current samples", "episodes", "anomalous frames");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void topicsStartAndKafkaPropertiesPassThrough(@TempDir Path dir) throws Exception {
        Path props = dir.resolve("client.properties");
        Files.writeString(props, "security.protocol=SSL\nssl.truststore.location=/etc/trust.jks\n");
        int code = run("--fast", "--duration", "2s", "--furnaces", "1", "--video-topic", "v", "--current-topic", "c",
                "--kafka-config", props.toString(), "--start", "2025-03-01T12:00:00Z", "--readings-per-sample", "2",
                "--current-lead", "-10s");

        assertThat(code).as(err.toString()).isZero();
        assertThat(opened).containsExactly("v c");
        assertThat(kafkaSeen.extra().getProperty("security.protocol")).isEqualTo("SSL");
        assertThat(sink.samples).hasSize(2);
        assertThat(sink.samples.get(0).getPhaseA()).hasSize(2);
        assertThat(sink.samples.get(0).getEventTimeMicros()).isEqualTo(1_740_830_400_000_000L);
    }

    @Test
    void realtimeIsTheDefaultAndStartsNow() {
        long before = System.currentTimeMillis() * 1000;
        int code = run("--duration", "1s", "--furnaces", "1", "--fps", "5", "--max-clock-skew-ms", "0",
                "--progress-every", "200ms");
        long after = System.currentTimeMillis() * 1000;

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("in real time");
        long firstReading = sink.samples.get(0).getEventTimeMicros();
        assertThat(firstReading).isBetween(before, after);
        assertThat(after - before).as("paced: one simulated second takes about one second")
                .isGreaterThan(700_000);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "--mist-severity|2|mist severity must be between 0 and 1, got 2",
            "--furnaces|0|furnaces must be between 1 and 99",
            "--fps|0|fps must be above 0",
            "--clock-jitter-ms|30|clock jitter must be at least 0 and below half a frame interval",
            "--drop-fraction|1|dropped-frame fraction must be at least 0 and below 1",
            "--duration|10x|'10x' is not a duration",
            "--duration|60|duration '60' needs a unit, e.g. 60s",
            "--duration|-5s|duration must be positive",
            "--kafka-config|/no/such/file.properties|--kafka-config /no/such/file.properties is not a readable file",
            "--bootstrap-servers| |bootstrap servers must be given",
            "--progress-every|0s|--progress-every must be positive",
            "--start|2024-13-45|Invalid value for option '--start'"})
    void impossibleSettingsAreUsageErrorsWithTheirMessage(String option, String value, String message) {
        String v = value == null ? "" : value;
        int code = option.equals("--duration") ? run("--fast", option, v) : run("--fast", "--duration", "5s", option, v);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(message).contains("Usage:").doesNotContain("\tat ");
        assertThat(opened).as("nothing published").isEmpty();
    }

    @Test
    void realtimeAndFastExcludeEachOther() {
        assertThat(run("--realtime", "--fast", "--duration", "1s")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"90s,90000", "10m,600000", "2h,7200000", "1h30m,5400000", "1.5h,5400000", "500ms,500",
            "1d,86400000", "-10s,-10000", "PT10M,600000", " 45s ,45000"})
    void readsOperatorDurations(String text, long millis) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void rejectsDurationsItCannotRead() {
        assertThatThrownBy(() -> DurationConverter.parse("")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("a duration is needed");
        assertThatThrownBy(() -> DurationConverter.parse("5 minutes")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("use a number and a unit");
        assertThatThrownBy(() -> DurationConverter.parse("PTxyz")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> DurationConverter.parse("999999999999d")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("too long");
    }
}
