package org.fmfstream.jobs.simulator;

/**
 * Where things are in a frame of the furnace shell: the flame and glare band along the top (the
 * furnace mouth), and the part of the shell where a burn-through can appear. All sizes scale with
 * the frame so that 64x64 (the model's size) and larger frames look alike.
 */
record ShellGeometry(int width, int height) {

    /** Rows 0..flameRows-1 show flames leaving the furnace mouth. */
    int flameRows() {
        return Math.max(2, (int) Math.round(0.18 * height));
    }

    /** Rows below the flames that still catch their glare; no hot spot is placed above this. */
    int glareRows() {
        return flameRows() + Math.max(1, (int) Math.round(0.08 * height));
    }

    /** Pixels per pixel of a 64x64 frame: geometric sizes below are given for 64x64. */
    double scale() {
        return Math.min(width, height) / 64.0;
    }

    int pixels() {
        return width * height;
    }
}
