package org.fmfstream.jobs.simulator;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/** A furnace's frames in time order, rendered on demand; see {@link FurnaceSimulation#frames()}. */
public final class FrameStream implements Iterator<SimulatedFrame> {
    private final FurnaceSimulation furnace;
    private final SimulatorConfig config;
    private final FrameRenderer renderer;
    private final SplittableRandom jitter;
    private final List<Episode> episodes;
    private final long jitterMicros;
    private long next;
    private long previousTrueMicros;
    private int episodeCursor;

    FrameStream(FurnaceSimulation furnace, FrameRenderer renderer, SplittableRandom jitter) {
        this.furnace = furnace;
        this.config = furnace.config();
        this.renderer = renderer;
        this.jitter = jitter;
        this.episodes = furnace.episodes();
        this.jitterMicros = Math.round(config.clockJitterMillis() * 1000);
        this.previousTrueMicros = config.startEpochMicros() - Math.round(1e6 / config.fps());
    }

    @Override
    public boolean hasNext() {
        return next < config.frameCount();
    }

    /** True time of the frame {@link #next()} will return. */
    public long peekTrueTimeMicros() {
        return config.frameTimeMicros(next);
    }

    /**
     * Moves past the next frame without rendering it (its time still advances the scene). For
     * readers that keep only some frames, such as training windows: far cheaper than rendering, but
     * later frames then carry other noise and flicker than a frame-by-frame reading gives (the same
     * episodes, masks, mist and light), deterministically for the same pattern of skips.
     */
    public void skip() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + config.frameCount() + " frames of " + furnace.furnaceId()
                    + " were rendered");
        }
        long t = config.frameTimeMicros(next++);
        renderer.advance((t - previousTrueMicros) / 1e6);
        previousTrueMicros = t;
        if (jitterMicros != 0) {
            jitter.nextLong(-jitterMicros, jitterMicros + 1);
        }
    }

    @Override
    public SimulatedFrame next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + config.frameCount() + " frames of " + furnace.furnaceId()
                    + " were rendered");
        }
        long seq = next++;
        long t = config.frameTimeMicros(seq);
        double dt = (t - previousTrueMicros) / 1e6;
        previousTrueMicros = t;
        Episode episode = activeEpisode(t);
        double mistLevel = furnace.mistLevelAt(t);
        int w = config.frameWidth();
        int h = config.frameHeight();
        byte[] rgb = new byte[w * h * 3];
        byte[] mask = new byte[w * h];
        renderer.render(t, dt, mistLevel, episode, rgb, mask);
        long wobble = jitterMicros == 0 ? 0 : jitter.nextLong(-jitterMicros, jitterMicros + 1);
        long cameraTime = t + furnace.cameraSkewMicros() + wobble;
        return new SimulatedFrame(furnace.furnaceId(), furnace.cameraId(), seq, t, cameraTime, w, h, rgb, mask,
                episode == null ? -1 : episode.index(), mistLevel);
    }

    private Episode activeEpisode(long t) {
        while (episodeCursor < episodes.size() && episodes.get(episodeCursor).endMicros() <= t) {
            episodeCursor++;
        }
        if (episodeCursor < episodes.size() && episodes.get(episodeCursor).activeAt(t)) {
            return episodes.get(episodeCursor);
        }
        return null;
    }
}
