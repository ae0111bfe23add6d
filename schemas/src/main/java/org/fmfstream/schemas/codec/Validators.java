package org.fmfstream.schemas.codec;

import java.nio.ByteBuffer;
import java.util.List;
import org.fmfstream.schemas.AnomalyEvent;
import org.fmfstream.schemas.AnomalyMask;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.DeadLetter;
import org.fmfstream.schemas.Incident;
import org.fmfstream.schemas.IncidentKind;
import org.fmfstream.schemas.MaskEncoding;
import org.fmfstream.schemas.VideoFrame;

/** Content checks of each contract, applied after decoding (see {@link RecordCodec}). */
public final class Validators {
    /** Largest block of current readings accepted in one record (an hour at 2 Hz is 7,200). */
    public static final int MAX_READINGS_PER_BLOCK = 100_000;

    private Validators() {}

    /**
     * Frames must be internally consistent and of the given size (the size the model reads; the
     * ingest bridges resize before publishing). {@code width}/{@code height} of 0 accept any size.
     */
    public static RecordValidator<VideoFrame> videoFrame(int width, int height) {
        return f -> {
            if (f.getFurnaceId().isBlank()) {
                return "furnaceId is blank";
            }
            if (f.getFrameSeq() < 0) {
                return "frameSeq " + f.getFrameSeq() + " is negative";
            }
            if (f.getWidth() <= 0 || f.getHeight() <= 0) {
                return "frame size " + f.getWidth() + "x" + f.getHeight() + " is not positive";
            }
            if (width > 0 && (f.getWidth() != width || f.getHeight() != height)) {
                return "frame size " + f.getWidth() + "x" + f.getHeight() + " is not the expected "
                        + width + "x" + height;
            }
            ByteBuffer payload = f.getPayload();
            int n = payload.remaining();
            switch (f.getEncoding()) {
                case RGB8 -> {
                    long expected = 3L * f.getWidth() * f.getHeight();
                    if (n != expected) {
                        return "RGB8 payload has " + n + " bytes, " + f.getWidth() + "x" + f.getHeight()
                                + "x3 needs " + expected;
                    }
                }
                case JPEG -> {
                    if (!startsWith(payload, 0xFF, 0xD8, 0xFF)) {
                        return "JPEG payload does not start with a JPEG marker";
                    }
                }
                case PNG -> {
                    if (!startsWith(payload, 0x89, 'P', 'N', 'G')) {
                        return "PNG payload does not start with the PNG signature";
                    }
                }
            }
            ByteBuffer mask = f.getGroundTruthMask();
            if (mask != null) {
                long expected = (long) f.getWidth() * f.getHeight();
                if (mask.remaining() != expected) {
                    return "groundTruthMask has " + mask.remaining() + " bytes, frame needs " + expected;
                }
                for (int i = mask.position(); i < mask.limit(); i++) {
                    byte b = mask.get(i);
                    if (b != 0 && b != 1) {
                        return "groundTruthMask holds " + b + " at pixel " + (i - mask.position())
                                + "; only 0 and 1 are allowed";
                    }
                }
            }
            return null;
        };
    }

    public static RecordValidator<CurrentSample> currentSample() {
        return s -> {
            if (s.getFurnaceId().isBlank()) {
                return "furnaceId is blank";
            }
            double rate = s.getSampleRateHz();
            if (!Double.isFinite(rate) || rate <= 0) {
                return "sampleRateHz " + rate + " must be finite and > 0";
            }
            int n = s.getPhaseA().size();
            if (n == 0) {
                return "block holds no readings";
            }
            if (n > MAX_READINGS_PER_BLOCK) {
                return "block holds " + n + " readings, more than " + MAX_READINGS_PER_BLOCK;
            }
            if (s.getPhaseB().size() != n || s.getPhaseC().size() != n) {
                return "phase arrays differ in length: A=" + n + " B=" + s.getPhaseB().size()
                        + " C=" + s.getPhaseC().size();
            }
            String bad = firstNonFinite("phaseA", s.getPhaseA());
            if (bad == null) {
                bad = firstNonFinite("phaseB", s.getPhaseB());
            }
            if (bad == null) {
                bad = firstNonFinite("phaseC", s.getPhaseC());
            }
            return bad;
        };
    }

    public static RecordValidator<AnomalyEvent> anomalyEvent() {
        return e -> {
            double p = e.getAnomalyProbability();
            if (!(p >= 0 && p <= 1)) {
                return "anomalyProbability " + p + " is outside [0, 1]";
            }
            if (e.getWindowEndMicros() < e.getWindowStartMicros()) {
                return "window ends before it starts";
            }
            if (e.getMinMaskPixels() < 0) {
                return "minMaskPixels " + e.getMinMaskPixels() + " is negative";
            }
            if (e.getMaskPixels() != null && e.getMaskPixels() < 0) {
                return "maskPixels " + e.getMaskPixels() + " is negative";
            }
            return null;
        };
    }

    public static RecordValidator<AnomalyMask> anomalyMask() {
        return m -> {
            if (m.getWidth() <= 0 || m.getHeight() <= 0) {
                return "mask size " + m.getWidth() + "x" + m.getHeight() + " is not positive";
            }
            float area = m.getAnomalyAreaFraction();
            if (!(area >= 0 && area <= 1)) {
                return "anomalyAreaFraction " + area + " is outside [0, 1]";
            }
            ByteBuffer payload = m.getPayload();
            if (m.getEncoding() == MaskEncoding.BITMAP
                    && payload.remaining() != (long) m.getWidth() * m.getHeight()) {
                return "BITMAP payload has " + payload.remaining() + " bytes, mask needs "
                        + (long) m.getWidth() * m.getHeight();
            }
            if (m.getEncoding() == MaskEncoding.PNG_PROBABILITY && !startsWith(payload, 0x89, 'P', 'N', 'G')) {
                return "PNG_PROBABILITY payload does not start with the PNG signature";
            }
            return null;
        };
    }

    /** Incidents: a consumer acting on one relies on these, so a broken record is a decode error. */
    public static RecordValidator<Incident> incident() {
        return i -> {
            if (i.getFurnaceId().isBlank()) {
                return "furnaceId is blank";
            }
            double p = i.getPeakProbability();
            if (!(p >= 0 && p <= 1)) {
                return "peakProbability " + p + " is outside [0, 1]";
            }
            Float area = i.getPeakAreaFraction();
            if (area != null && !(area >= 0 && area <= 1)) {
                return "peakAreaFraction " + area + " is outside [0, 1]";
            }
            if (i.getAnomalousWindows() < 0 || i.getAnomalousWindows() > i.getTotalWindows()) {
                return "anomalousWindows " + i.getAnomalousWindows() + " is not within [0, totalWindows "
                        + i.getTotalWindows() + "]";
            }
            if ((i.getKind() == IncidentKind.INCIDENT_CLEARED) != (i.getClearedAtMicros() != null)) {
                return "clearedAtMicros must be set exactly when kind is INCIDENT_CLEARED (kind " + i.getKind() + ")";
            }
            return null;
        };
    }

    public static RecordValidator<DeadLetter> deadLetter() {
        return RecordValidator.none();
    }

    private static String firstNonFinite(String name, List<Float> values) {
        for (int i = 0; i < values.size(); i++) {
            Float v = values.get(i);
            if (v == null || !Float.isFinite(v)) {
                return name + "[" + i + "] is " + v + "; currents must be finite";
            }
        }
        return null;
    }

    private static boolean startsWith(ByteBuffer buffer, int... prefix) {
        if (buffer.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((buffer.get(buffer.position() + i) & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
