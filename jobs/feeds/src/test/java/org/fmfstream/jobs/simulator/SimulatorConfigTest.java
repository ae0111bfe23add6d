package org.fmfstream.jobs.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SimulatorConfigTest {

    @Test
    void defaultsAreValidAndDescribeTheBenchmarkCamera() {
        SimulatorConfig c = SimulatorConfig.builder().build().validate();
        assertThat(c.fps()).isEqualTo(25);
        assertThat(c.frameWidth()).isEqualTo(64);
        assertThat(c.frameHeight()).isEqualTo(64);
        assertThat(c.currentRateHz()).isEqualTo(2);
        assertThat(c.readingsPerSample()).isEqualTo(1);
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void countsFramesAndReadingsStrictlyBeforeTheEnd() {
        SimulatorConfig c = SimulatorConfig.builder().duration(Duration.ofSeconds(10)).build().validate();
        assertThat(c.frameCount()).isEqualTo(250);
        assertThat(c.readingCount()).isEqualTo(20);
        assertThat(c.frameTimeMicros(25) - c.startEpochMicros()).isEqualTo(1_000_000);
        assertThat(c.readingTimeMicros(3) - c.startEpochMicros()).isEqualTo(1_500_000);
        assertThat(c.furnaceId(0)).isEqualTo("F01");
        assertThat(c.furnaceId(11)).isEqualTo("F12");
    }

    static Stream<Arguments> impossibleSettings() {
        return Stream.of(
                bad(b -> b.furnaces(0), "furnaces must be between 1 and 99"),
                bad(b -> b.furnaces(100), "furnaces must be between 1 and 99"),
                bad(b -> b.startEpochMicros(-1), "start time must not be before 1970"),
                bad(b -> b.duration(Duration.ZERO), "duration must be positive"),
                bad(b -> b.duration(Duration.ofSeconds(-5)), "duration must be positive"),
                bad(b -> b.duration(Duration.ofDays(400)), "duration must be at most 366 days"),
                bad(b -> b.fps(0), "fps must be above 0 and at most 240"),
                bad(b -> b.fps(Double.NaN), "fps must be above 0"),
                bad(b -> b.frameSize(8, 64), "frame width must be between 16 and 1024"),
                bad(b -> b.frameSize(64, 2000), "frame height must be between 16 and 1024"),
                bad(b -> b.currentRateHz(-2), "current rate must be above 0"),
                bad(b -> b.readingsPerSample(0), "readings per current sample must be between 1 and"),
                bad(b -> b.episodesPerHour(-1), "episodes per hour must be 0 or more"),
                bad(b -> b.episodeLength(Duration.ZERO, Duration.ofSeconds(10)),
                        "minimum episode length must be positive"),
                bad(b -> b.episodeLength(Duration.ofSeconds(60), Duration.ofSeconds(30)),
                        "maximum episode length PT30S is shorter than the minimum PT1M"),
                bad(b -> b.episodeLength(Duration.ofHours(1), Duration.ofHours(25)),
                        "maximum episode length must be at most 24 hours"),
                bad(b -> b.episodesPerHour(40).episodeLength(Duration.ofSeconds(60), Duration.ofSeconds(120)),
                        "covers 100% of the time; it must stay below 100% or episodes would overlap"),
                bad(b -> b.mistSeverity(1.5), "mist severity must be between 0 and 1"),
                bad(b -> b.mistSeverity(-0.1), "mist severity must be between 0 and 1"),
                bad(b -> b.currentLeadSeconds(Double.POSITIVE_INFINITY), "current lead must be between"),
                bad(b -> b.currentLeadSeconds(-4000), "current lead must be between -3600 and 3600"),
                bad(b -> b.maxClockSkewMillis(-1), "max clock skew must be between 0 and 60000 ms"),
                bad(b -> b.clockJitterMillis(25),
                        "clock jitter must be at least 0 and below half a frame interval (20 ms at 25 fps)"),
                bad(b -> b.droppedFrameFraction(1), "dropped-frame fraction must be at least 0 and below 1"),
                bad(b -> b.outOfOrderFraction(-0.1), "out-of-order fraction must be between 0 and 1"),
                bad(b -> b.lateFraction(2), "late fraction must be between 0 and 1"),
                bad(b -> b.outOfOrderFraction(0.6).lateFraction(0.5),
                        "out-of-order fraction + late fraction must not exceed 1"),
                bad(b -> b.lateness(Duration.ofSeconds(-1)), "lateness must be between 0 and 60 minutes"),
                bad(b -> b.lateFraction(0.1).lateness(Duration.ofSeconds(1)),
                        "lateness 1 s must exceed the out-of-order displacement (3 x the longest record interval"
                                + " = 1.5 s)"));
    }

    private static Arguments bad(UnaryOperator<SimulatorConfig.Builder> change, String message) {
        return Arguments.of(change, message);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("impossibleSettings")
    void impossibleSettingIsRejectedWithItsMessage(UnaryOperator<SimulatorConfig.Builder> change, String message) {
        SimulatorConfig config = change.apply(SimulatorConfig.builder()).build();
        assertThatThrownBy(() -> Simulation.of(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void startBeyondEpochMicrosIsRejectedClearly() {
        assertThatThrownBy(() -> SimulatorConfig.builder().start(Instant.MAX))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range for epoch microseconds");
    }

    @Test
    void lateRecordsNeedNoLatenessCheckWhenThereAreNone() {
        SimulatorConfig c = SimulatorConfig.builder().lateFraction(0).lateness(Duration.ZERO).build();
        assertThat(c.validate()).isSameAs(c);
    }
}
