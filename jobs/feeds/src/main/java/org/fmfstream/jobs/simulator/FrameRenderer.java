package org.fmfstream.jobs.simulator;

import java.util.SplittableRandom;

/**
 * Renders one furnace's camera frames in sequence. Layers, back to front: the fixed shell texture
 * under drifting ambient light, the flames and glare at the top, the burn-through hot spot if an
 * episode is active, spatter glints, a reflection if the shell has one, then mist, then the
 * camera's development (exposure, balance, vignetting, softness, compression; skipped for the
 * neutral look), then sensor noise and 8-bit quantisation. Working
 * planes are allocated once and reused; only the caller's output arrays are written per frame.
 * Frames must be rendered in time order (flicker, mist drift and glints carry state).
 */
final class FrameRenderer {
    private final ShellGeometry shell;
    private final ShellTexture texture;
    private final AmbientLight ambient;
    private final FlameGlare flame;
    private final SpatterGlints glints;
    private final MistField mist;
    private final Wander shimmer;
    private final CameraLook look;
    private final ReflectionDecoy decoy;
    private final float noiseScale;
    private final SplittableRandom rng;
    private final float[] r;
    private final float[] g;
    private final float[] b;
    private final float[] density;
    private final float[] scratch;

    /**
     * @param texture the shell as this camera sees it (already through the look's zoom and tilt)
     * @param look    the camera's development; {@link CameraLook#NEUTRAL} leaves frames unchanged
     * @param decoy   a reflection on the shell, or null
     */
    FrameRenderer(ShellGeometry shell, ShellTexture texture, AmbientLight ambient, CameraLook look,
                  ReflectionDecoy decoy, SplittableRandom rng) {
        this.shell = shell;
        this.texture = texture;
        this.ambient = ambient;
        this.look = look;
        this.decoy = decoy;
        this.noiseScale = (float) look.noiseScale;
        this.rng = rng;
        this.flame = new FlameGlare(shell, rng);
        this.glints = new SpatterGlints(shell);
        this.mist = new MistField(shell, rng);
        this.shimmer = new Wander(1, 0.06, 0.5, rng);
        int n = shell.pixels();
        this.r = new float[n];
        this.g = new float[n];
        this.b = new float[n];
        this.density = new float[n];
        this.scratch = look.isNeutral() ? null : new float[n];
    }

    /**
     * Advances the scene by {@code dtSeconds} without painting a frame, for readers that need only
     * some frames (training windows). Cheap, but it draws fewer random numbers than {@link #render},
     * so the frames after a skip carry other noise and flicker than a frame-by-frame reading
     * (the same episodes, masks, mist and light).
     */
    void advance(double dtSeconds) {
        step(dtSeconds);
    }

    private void step(double dtSeconds) {
        flame.step(dtSeconds, rng);
        glints.step(dtSeconds, rng);
        mist.step(dtSeconds, rng);
        shimmer.step(dtSeconds, rng);
        if (decoy != null) {
            decoy.step(dtSeconds);
        }
    }

    /**
     * Advances the scene by {@code dtSeconds} and renders it at {@code trueMicros} into {@code rgb}
     * (height*width*3, row-major, R,G,B) and {@code mask} (height*width, 1 inside the burn-through);
     * {@code episode} is the active episode or null.
     */
    void render(long trueMicros, double dtSeconds, double mistLevel, Episode episode, byte[] rgb, byte[] mask) {
        step(dtSeconds);

        // A bright flame also lifts the whole image a little (scattered light, camera auto-gain lag).
        double gain = ambient.gain(trueMicros) * (1 + 0.03 * (flame.flicker() - 1));
        double warm = ambient.warmth(trueMicros);
        float kr = (float) (gain * (1 + warm));
        float kg = (float) gain;
        float kb = (float) (gain * (1 - warm));
        int n = shell.pixels();
        for (int i = 0; i < n; i++) {
            r[i] = texture.r[i] * kr;
            g[i] = texture.g[i] * kg;
            b[i] = texture.b[i] * kb;
        }
        flame.paint(r, g, b);
        java.util.Arrays.fill(mask, (byte) 0);
        if (episode != null) {
            BurnThroughRegion region = new BurnThroughRegion(episode, trueMicros);
            HotSpotPainter.paint(region, shimmer.value(), shell, r, g, b);
            region.writeMask(mask, shell.width(), shell.height());
        }
        glints.paint(r, g, b);
        if (decoy != null) {
            decoy.paint(shell, r, g, b);
        }
        mist.density(mistLevel, density);

        // Mist is lit by the hall, so it follows the ambient light.
        float mr = (float) (205 * gain * (1 + 0.5 * warm));
        float mg = (float) (210 * gain);
        float mb = (float) (218 * gain * (1 - 0.5 * warm));
        for (int i = 0; i < n; i++) {
            float d = density[i];
            r[i] = r[i] + (mr - r[i]) * d;
            g[i] = g[i] + (mg - g[i]) * d;
            b[i] = b[i] + (mb - b[i]) * d;
        }
        if (!look.isNeutral()) {
            look.develop(shell, r, g, b, scratch);
        }
        for (int i = 0, o = 0; i < n; i++, o += 3) {
            rgb[o] = sensor(r[i]);
            rgb[o + 1] = sensor(g[i]);
            rgb[o + 2] = sensor(b[i]);
        }
    }

    /**
     * Adds sensor noise (read noise plus a shot-noise share growing with brightness) and quantises.
     * The Gaussian is approximated by the sum of four 16-bit uniforms from one random long: one
     * generator call per channel keeps 16 furnaces at 25 fps affordable.
     */
    private byte sensor(float value) {
        long bits = rng.nextLong();
        long sum = (bits & 0xFFFF) + ((bits >>> 16) & 0xFFFF) + ((bits >>> 32) & 0xFFFF) + (bits >>> 48);
        double z = (sum / 65535.0 - 2) * 1.7320508075688772;
        double v = value + (2.0 + 0.012 * value) * z * noiseScale;
        int q = (int) (v + 0.5);
        return (byte) (q < 0 ? 0 : Math.min(q, 255));
    }
}
