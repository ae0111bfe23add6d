/**
 * A deterministic simulator of electric fused-magnesia furnaces: shell-camera video with pixel
 * ground truth, three-phase electrode currents, and the transport faults of a real plant. It fills
 * Kafka for demos ({@code ./fmf simulate}), gives exporters and end-to-end tests the data and the
 * truth in memory, and is calibrated so that a detector trained on it has to earn its accuracy.
 *
 * <h2>Using it without Kafka</h2>
 * <pre>{@code
 * Simulation sim = Simulation.of(SimulatorConfig.builder().furnaces(2).duration(Duration.ofHours(1)).build());
 * for (FurnaceSimulation f : sim.furnaces()) {
 *     List<Episode> truth = f.episodes();          // known before anything is rendered
 *     FrameStream frames = f.frames();             // SimulatedFrame: rgb, mask, true/camera time, label
 *     CurrentStream currents = f.currents();       // SimulatedReading: 3 phases at 2 Hz, PLC time
 * }
 * RunSummary s = SimulationRun.of(sim).fast().deliverTo(sink);   // merged, with transport faults
 * }</pre>
 * Each furnace draws from its own generators, split off the master seed by furnace index; every
 * concern (schedule, mist, texture, video, currents, camera clock, transport) has its own, so the
 * same seed gives the same bytes, adding furnaces leaves the others unchanged, and changing one
 * knob does not reshuffle unrelated randomness. Streams replay identically on every call.
 *
 * <h2>Video (64x64 RGB, 25 fps), back to front</h2>
 * <ul>
 * <li>{@link org.fmfstream.jobs.simulator.ShellTexture Shell}: fixed per furnace, like a fixed
 *     camera: steel of its own tint mottled by value noise, small rust patches (dull red-brown,
 *     a colour distractor), two or three darker ring seams, and cylinder shading (middle columns
 *     brighter than the edges; the test checks at least 1.3x).</li>
 * <li>{@link org.fmfstream.jobs.simulator.AmbientLight Ambient light}: +-12% gain and a slight
 *     warm/cool shift from sinusoids of 4 to 17 minutes (the test checks a swing over 5%).</li>
 * <li>{@link org.fmfstream.jobs.simulator.FlameGlare Flames and glare} in the top 18% of rows,
 *     flickering within 0.1 s, plus a wandering glare blob: bright and orange, so "bright = hot
 *     spot" fails there. No episode is placed in these rows or the glare band below them.</li>
 * <li>{@link org.fmfstream.jobs.simulator.HotSpotPainter Burn-through}: an ellipse of 2.5 to 6.5 px
 *     peak radius that grows from 30% to full size and from dim dull red to yellow-white over 15 to
 *     45 s, with a reddish halo beyond the mask. A young spot covers a pixel or two at low contrast:
 *     early detection is hard by design.</li>
 * <li>{@link org.fmfstream.jobs.simulator.SpatterGlints Spatter glints}: about 5 a minute, tiny
 *     yellow-white dots living 0.1 to 1.5 s: single-frame look-alikes of a young spot.</li>
 * <li>{@link org.fmfstream.jobs.simulator.MistField Mist}: uniform haze plus eight soft patches
 *     drifting up and sideways; each pixel blends towards grey-white by the mist density, which
 *     scales the spot's contrast by (1 - density). The level comes from
 *     {@link org.fmfstream.jobs.simulator.MistWeather}: a light background varying over minutes,
 *     plus heavy-mist periods (3 an hour at severity 1, 40 to 200 s), and with probability
 *     0.7 x severity a heavy period covering an episode (operators spray a hot shell). Severity 0
 *     is a dry shell. The test checks that heavy mist (level at least 0.7) cuts the spot's luminance
 *     contrast against its surroundings to below 40% of the same frames without mist, while the
 *     truth mask stays identical.</li>
 * <li>{@link org.fmfstream.jobs.simulator.ReflectionDecoy Reflection} (look variety above 0 only):
 *     a bright, warm-white, elongated highlight at a fixed place, breathing slowly, on 60% of the
 *     furnaces at variety 1: a hot-looking feature that is never an anomaly.</li>
 * <li>{@link org.fmfstream.jobs.simulator.CameraLook Camera look} (look variety above 0 only): the
 *     shell seen through the camera's zoom, tilt and offset; exposure, white balance and
 *     vignetting; lens softness; loss of detail in 8x8 compression blocks; a noise level of its
 *     own. At variety 0 none of this is applied and frames are byte for byte those of earlier
 *     versions.</li>
 * <li>Sensor noise of 2 levels plus 1.2% of the signal, then 8-bit quantisation.</li>
 * </ul>
 * The ground-truth mask of a frame is the burn-through ellipse (pixel centres inside it, and at
 * least the pixel holding the centre), whatever the mist; it is empty outside episodes, and a
 * frame's class is "mask non-empty". Rendering reuses its planes; measured about 0.12 to 0.2 ms per
 * frame on one core of the development machine (printed by {@code FurnaceRenderSpeedTest}), i.e.
 * 16 furnaces at 25 fps take well under a tenth of one core.
 *
 * <h2>Episodes</h2>
 * Episodes alternate with exponential gaps of mean 3600/rate - mean length, so the expected share
 * of anomalous frames is exactly rate x mean length (the test checks within 12% over 30
 * furnace-hours). Validation refuses settings where that share would reach 100%.
 *
 * <h2>Currents (6 to 14 kA, 2 Hz) and why current-only detection is weak</h2>
 * Normal operation: set-point 8.5 to 11.5 kA stepped about 4 times an hour, a common wander (450 A,
 * 90 s), a wander per phase (250 A, 40 s), fixed phase offsets, and arc noise partly shared between
 * the phases whose level is log-normal around 560 A and changes within a minute; a third of the
 * time the arc is calm (noise at 42%) for minutes; single-reading arc spikes; dropouts (one phase,
 * sometimes two, falling to 1.5 to 4.5 kA for 0.5 to 3 s) about twice an hour. Values are clamped
 * to 6 to 14 kA; only a dropped-out phase goes below 6 kA (never below 0, never above 5.5 kA), and
 * {@link org.fmfstream.jobs.simulator.SimulatedReading#dropout()} marks those readings. Within an
 * episode's current window - the episode shifted earlier by the lead (default 10 s) - the arc
 * steadies by a per-episode amount (noise down by 21% to 70%, wander damped, no set-point steps,
 * fewer spikes) and dropouts come about every 3 minutes; the change blends in over 6 s. Because
 * the steadying is relative to a noise level that varies anyway, overlaps calm stretches, and is
 * weak in some episodes, and because a window shortly after an episode starts is mostly normal,
 * simple features separate anomalous from normal 120-s windows (labelled like benchmark samples by
 * their last reading) with best-threshold balanced accuracy of about 0.58 (rolling std) and 0.69
 * (median absolute step of the last 30 s); the test requires 0.55 to 0.80 and 0.6 to 0.85, in
 * line with the about 70% current-only accuracy of the real process.
 *
 * <h2>Clocks and transport</h2>
 * The PLC clock is the reference (true time). Each camera's clock is off by a constant skew drawn
 * uniformly from +-max (default 250 ms) plus uniform jitter per frame (default +-3 ms, validated
 * below half a frame interval so frames keep their order). {@link
 * org.fmfstream.jobs.simulator.SimulationRun} merges all furnaces' frames and current blocks in the
 * order they become available (a block when its last reading is taken), drops frames (frameSeq
 * gaps), lets 1 to 3 successors overtake out-of-order records, holds late records back by 1 to 1.2
 * x the lateness (validated to exceed the out-of-order displacement), and delivers fast or paced to
 * the wall clock. Tests check the drop, out-of-order and late shares and the skew against the
 * configuration.
 */
package org.fmfstream.jobs.simulator;
