package org.fmfstream.jobs.simulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated furnace: its episode schedule, mist weather, camera clock skew, and fresh,
 * deterministic streams of its frames and currents. Everything derives from the run's seed and
 * this furnace's index through {@link SplittableRandom#split()}, one independent generator per
 * concern, so furnaces do not influence one another, adding furnaces leaves the existing ones
 * unchanged, and every call of {@link #frames()} or {@link #currents()} replays the same data.
 */
public final class FurnaceSimulation {
    private final SimulatorConfig config;
    private final int index;
    private final String furnaceId;
    private final ShellGeometry shell;
    private final List<Episode> episodes;
    private final MistWeather mist;
    private final ShellTexture texture;
    private final long skewMicros;
    private final long textureSeed;
    private final long videoSeed;
    private final long jitterSeed;
    private final long currentSeed;
    private final long frameTransportSeed;
    private final long sampleTransportSeed;
    private final long lookSeed;
    private final CameraLook look;
    private final ShellTexture seenTexture;

    /** {@code config} must be valid (see {@link Simulation#of}). */
    FurnaceSimulation(SimulatorConfig config, int index) {
        this.config = config;
        this.index = index;
        this.furnaceId = config.furnaceId(index);
        this.shell = new ShellGeometry(config.frameWidth(), config.frameHeight());
        SplittableRandom master = new SplittableRandom(config.seed());
        SplittableRandom own = master.split();
        for (int k = 0; k < index; k++) {
            own = master.split();
        }
        SplittableRandom schedule = own.split();
        SplittableRandom weather = own.split();
        SplittableRandom camera = own.split();
        this.textureSeed = own.nextLong();
        this.videoSeed = own.nextLong();
        this.jitterSeed = own.nextLong();
        this.currentSeed = own.nextLong();
        this.frameTransportSeed = own.nextLong();
        this.sampleTransportSeed = own.nextLong();
        // Drawn after everything else, so that a look leaves every other draw of the furnace as it was.
        this.lookSeed = own.nextLong();
        this.episodes = EpisodeSchedule.draw(config, schedule);
        this.mist = new MistWeather(config, episodes, weather);
        double skewMillis = (2 * camera.nextDouble() - 1) * config.maxClockSkewMillis();
        this.skewMicros = Math.round(skewMillis * 1000);
        this.texture = new ShellTexture(shell, new SplittableRandom(textureSeed));
        this.look = CameraLook.draw(config.lookVariety(), shell, new SplittableRandom(lookSeed));
        this.seenTexture = texture.seenThrough(look, shell);
    }

    public SimulatorConfig config() {
        return config;
    }

    /** 0-based position among the run's furnaces. */
    public int index() {
        return index;
    }

    public String furnaceId() {
        return furnaceId;
    }

    public String cameraId() {
        return furnaceId + "-cam1";
    }

    /** The episodes of the run, in time order, known before any frame is rendered. */
    public List<Episode> episodes() {
        return episodes;
    }

    /** The episode active at a true time, or null. */
    public Episode episodeAt(long trueMicros) {
        for (Episode e : episodes) {
            if (e.startMicros() > trueMicros) {
                return null;
            }
            if (e.activeAt(trueMicros)) {
                return e;
            }
        }
        return null;
    }

    /** Camera clock minus PLC clock for this furnace, constant over the run (jitter comes on top). */
    public long cameraSkewMicros() {
        return skewMicros;
    }

    /** Mist level 0..1 in front of the shell at a true time; 0.6 and above counts as heavy mist. */
    public double mistLevelAt(long trueMicros) {
        return mist.levelAt(trueMicros);
    }

    /** The heavy-mist periods (true time, including their ramps). */
    List<MistWeather.HeavyPeriod> heavyMistPeriods() {
        return mist.heavyPeriods();
    }

    /** The frames of the run with their masks, in time order, rendered on demand. */
    public FrameStream frames() {
        SplittableRandom video = new SplittableRandom(videoSeed);
        SplittableRandom lookDraws = new SplittableRandom(lookSeed);
        CameraLook.draw(config.lookVariety(), shell, lookDraws);
        ReflectionDecoy decoy = ReflectionDecoy.draw(config.lookVariety(), shell, lookDraws);
        FrameRenderer renderer = new FrameRenderer(shell, seenTexture,
                new AmbientLight(config.startEpochMicros(), video.split()), look, decoy, video);
        return new FrameStream(this, renderer, new SplittableRandom(jitterSeed));
    }

    /** The current readings of the run, in time order. */
    public CurrentStream currents() {
        return new CurrentStream(new CurrentGenerator(config, episodes, new SplittableRandom(currentSeed)));
    }

    /** The current readings grouped into the contract's blocks, in time order. */
    public CurrentSampleStream currentSamples() {
        return new CurrentSampleStream(furnaceId, config, currents());
    }

    TransportFaults frameTransport() {
        return new TransportFaults(config, config.frameIntervalSeconds(), config.droppedFrameFraction(),
                new SplittableRandom(frameTransportSeed));
    }

    TransportFaults sampleTransport() {
        return new TransportFaults(config, config.sampleIntervalSeconds(), 0,
                new SplittableRandom(sampleTransportSeed));
    }
}
