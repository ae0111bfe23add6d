package org.fmfstream.model.dataset;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.exceptions.HdfException;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fmfstream.schemas.CurrentSample;
import org.fmfstream.schemas.PixelEncoding;
import org.fmfstream.schemas.VideoFrame;
import org.fmfstream.schemas.codec.AvroBytes;

/**
 * Writes one recording NAME of a benchmark layout: {@code videos/NAME.mat} (HDF5 via jhdf, datasets
 * {@code data} uint8 [T, 3, W, H] and {@code label} uint8 [T, W, H]), {@code timestamps/NAME.csv} and
 * {@code currents/NAME.csv}, all in the form the public loader reads. Nothing appears under the final
 * names until {@link #close()} succeeds.
 *
 * <p>Memory: pixels and labels are spooled to temporary files next to the output as they arrive, and
 * the CSVs are streamed, so the heap holds only about 16 bytes per frame (the row references jhdf needs
 * to learn the dataset shape) plus one frame of buffers: about 2.4 MB for the largest public batch
 * (148,158 frames). Disk needs about twice the final video file while closing (spool plus file).
 * (Measured: 30,000 64x64 frames written under -Xmx48m.) The frame count is limited to
 * {@link Integer#MAX_VALUE} by Java arrays. Closing costs roughly 0.4 s per 1,000 64x64 frames, as
 * jhdf writes the placeholder arrays row by row.
 *
 * <p>Timestamps are stored at second resolution, as in the benchmark, in the writer's zone; reading
 * the recording back spreads the frames of a second evenly over it (see {@link SecondSpread}). The
 * public loader pairs current rows two by two and looks up each frame's second among them, so feed
 * 2 Hz readings that cover the seconds of the frames. Not thread-safe.
 */
public final class BenchmarkWriter implements Closeable {
    private final BenchmarkLayout layout;
    private final String name;
    private final int width;
    private final int height;
    private final ZoneId zone;
    private final Path dataSpool;
    private final Path labelSpool;
    private final Path videoTemp;
    private final Path timestampsTemp;
    private final Path currentsTemp;
    private final OutputStream dataOut;
    private final OutputStream labelOut;
    private final BufferedWriter timestampsOut;
    private final BufferedWriter currentsOut;
    private final byte[] planes;
    private final byte[] label;
    private int frames;
    private long currents;
    private boolean closed;

    private BenchmarkWriter(BenchmarkLayout layout, String name, int width, int height, ZoneId zone)
            throws IOException {
        this.layout = layout;
        this.name = name;
        this.width = width;
        this.height = height;
        this.zone = zone;
        Path videos = layout.videoFile(name).getParent();
        this.dataSpool = videos.resolve("." + name + ".data.spool");
        this.labelSpool = videos.resolve("." + name + ".label.spool");
        this.videoTemp = videos.resolve("." + name + BenchmarkLayout.VIDEO_EXTENSION + ".tmp");
        this.timestampsTemp = temp(layout.timestampFile(name));
        this.currentsTemp = temp(layout.currentFile(name));
        this.planes = new byte[3 * width * height];
        this.label = new byte[width * height];
        this.dataOut = new BufferedOutputStream(Files.newOutputStream(dataSpool), 1 << 16);
        this.labelOut = new BufferedOutputStream(Files.newOutputStream(labelSpool), 1 << 16);
        this.timestampsOut = Files.newBufferedWriter(timestampsTemp, StandardCharsets.UTF_8);
        this.currentsOut = Files.newBufferedWriter(currentsTemp, StandardCharsets.UTF_8);
        timestampsOut.write(BenchmarkCsv.TIMESTAMP_HEADER + "\n");
        currentsOut.write(BenchmarkCsv.CURRENT_HEADER + "\n");
    }

    /** A writer for recording {@code name} of frames {@code width} x {@code height}, timestamps in UTC. */
    public static BenchmarkWriter create(Path layoutDir, String name, int width, int height) throws IOException {
        return create(layoutDir, name, width, height, ZoneOffset.UTC);
    }

    /** As {@link #create(Path, String, int, int)} with the CSV timestamps written as local time in {@code zone}. */
    public static BenchmarkWriter create(Path layoutDir, String name, int width, int height, ZoneId zone)
            throws IOException {
        BenchmarkLayout.checkName(name);
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size " + width + "x" + height + " is not positive");
        }
        return new BenchmarkWriter(BenchmarkLayout.create(layoutDir), name, width, height, zone);
    }

    /**
     * Adds the next frame.
     *
     * @param epochMillis capture time; only its second is kept
     * @param rgbRowMajorYX {@code height*width*3} bytes, row by row (y, then x), R, G, B interleaved
     *                      (the VideoFrame RGB8 payload order)
     * @param maskOrNull {@code height*width} bytes row by row, non-zero = abnormal; null = all normal
     */
    public void addFrame(long epochMillis, byte[] rgbRowMajorYX, byte[] maskOrNull) throws IOException {
        checkOpen();
        if (rgbRowMajorYX.length != planes.length) {
            throw new IllegalArgumentException("frame has " + rgbRowMajorYX.length + " bytes; a " + width + "x"
                    + height + " RGB frame needs " + planes.length);
        }
        if (maskOrNull != null && maskOrNull.length != label.length) {
            throw new IllegalArgumentException("mask has " + maskOrNull.length + " bytes; a " + width + "x"
                    + height + " frame needs " + label.length);
        }
        if (frames == Integer.MAX_VALUE) {
            throw new IllegalStateException("a recording holds at most " + Integer.MAX_VALUE + " frames");
        }
        PixelOrder.payloadToPlanes(rgbRowMajorYX, width, height, planes, 0);
        dataOut.write(planes);
        if (maskOrNull == null) {
            Arrays.fill(label, (byte) 0);
        } else {
            PixelOrder.maskToLabel(maskOrNull, width, height, label, 0);
        }
        labelOut.write(label);
        timestampsOut.write(BenchmarkLayout.formatTimestamp(epochMillis, zone));
        timestampsOut.write('\n');
        frames++;
    }

    /** Adds an RGB8 frame of this writer's size, with its ground-truth mask when it has one. */
    public void addFrame(VideoFrame frame) throws IOException {
        if (frame.getEncoding() != PixelEncoding.RGB8) {
            throw new IllegalArgumentException("only RGB8 frames can be written, not " + frame.getEncoding());
        }
        if (frame.getWidth() != width || frame.getHeight() != height) {
            throw new IllegalArgumentException("frame is " + frame.getWidth() + "x" + frame.getHeight()
                    + "; this recording is " + width + "x" + height);
        }
        ByteBuffer mask = frame.getGroundTruthMask();
        addFrame(Math.floorDiv(frame.getEventTimeMicros(), 1000L), AvroBytes.copy(frame.getPayload()),
                mask == null ? null : AvroBytes.copy(mask));
    }

    /** Adds one current reading (amperes) taken at {@code epochMillis}; only its second is kept. */
    public void addCurrent(long epochMillis, float a, float b, float c) throws IOException {
        checkOpen();
        currentsOut.write(BenchmarkLayout.formatTimestamp(epochMillis, zone));
        currentsOut.write("," + a + "," + b + "," + c + "\n");
        currents++;
    }

    /** Adds a block of consecutive readings; reading k was taken at {@code firstEpochMillis + k/rate}. */
    public void addCurrents(long firstEpochMillis, double sampleRateHz, float[] a, float[] b, float[] c)
            throws IOException {
        if (!(sampleRateHz > 0) || Double.isInfinite(sampleRateHz)) {
            throw new IllegalArgumentException("sample rate " + sampleRateHz + " must be finite and > 0");
        }
        if (a.length != b.length || a.length != c.length) {
            throw new IllegalArgumentException("phase arrays differ in length: A=" + a.length + " B=" + b.length
                    + " C=" + c.length);
        }
        for (int k = 0; k < a.length; k++) {
            addCurrent(firstEpochMillis + (long) Math.floor(k * 1000.0 / sampleRateHz), a[k], b[k], c[k]);
        }
    }

    /** Adds the readings of a contract current block. */
    public void addCurrents(CurrentSample sample) throws IOException {
        addCurrents(Math.floorDiv(sample.getEventTimeMicros(), 1000L), sample.getSampleRateHz(),
                floats(sample.getPhaseA()), floats(sample.getPhaseB()), floats(sample.getPhaseC()));
    }

    public int frameCount() {
        return frames;
    }

    public long currentCount() {
        return currents;
    }

    /**
     * Writes the video file and moves the three files under their final names. At least one frame
     * must have been added.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean done = false;
        try {
            closeStreams();
            if (frames == 0) {
                throw new IllegalStateException("no frames were added to recording '" + name
                        + "'; the benchmark format needs at least one");
            }
            writeVideo();
            move(videoTemp, layout.videoFile(name));
            move(timestampsTemp, layout.timestampFile(name));
            move(currentsTemp, layout.currentFile(name));
            done = true;
        } finally {
            deleteQuietly(dataSpool, labelSpool);
            if (!done) {
                deleteQuietly(videoTemp, timestampsTemp, currentsTemp);
            }
        }
    }

    /** Gives up: closes and deletes everything written so far; nothing appears in the layout. */
    public void abort() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeStreams();
        } catch (IOException ignored) {
            // The files are deleted next; a failure to flush them does not matter.
        }
        deleteQuietly(dataSpool, labelSpool, videoTemp, timestampsTemp, currentsTemp);
    }

    /**
     * Writes {@code train.json} or {@code test.json}: frame indexes per recording NAME (the file keys
     * get the {@code .mat} extension, as the public loader expects), in the map's order.
     */
    public static void writeSplit(Path layoutDir, BenchmarkLayout.Split split, Map<String, int[]> framesByName)
            throws IOException {
        Map<String, int[]> byFile = new LinkedHashMap<>();
        framesByName.forEach((name, indexes) -> {
            BenchmarkLayout.checkName(name);
            byFile.put(BenchmarkLayout.splitKey(name), indexes);
        });
        BenchmarkLayout layout = BenchmarkLayout.create(layoutDir);
        Path target = layout.splitFile(split);
        Path temp = temp(target);
        Files.writeString(temp, SplitJson.write(byFile), StandardCharsets.UTF_8);
        move(temp, target);
    }

    /**
     * jhdf writes datasets from in-memory arrays. Every row of the arrays handed to it is the same
     * zero-filled frame, so they cost one reference per frame; the real pixels are then copied from the
     * spools over the contiguous data jhdf laid out, and the datatypes are marked unsigned.
     */
    private void writeVideo() throws IOException {
        byte[][][] zeroFrame = new byte[3][width][height];
        byte[][][][] data = new byte[frames][][][];
        Arrays.fill(data, zeroFrame);
        byte[][] zeroLabel = new byte[width][height];
        byte[][][] labels = new byte[frames][][];
        Arrays.fill(labels, zeroLabel);
        try (WritableHdfFile out = HdfFile.write(videoTemp)) {
            out.putDataset(BenchmarkLayout.DATA_DATASET, data);
            out.putDataset(BenchmarkLayout.LABEL_DATASET, labels);
        } catch (HdfException e) {
            throw new IOException("jhdf could not write " + videoTemp + ": " + e.getMessage(), e);
        }
        data = null;
        labels = null;
        List<DatasetPlace> places = List.of(
                locate(BenchmarkLayout.DATA_DATASET, (long) frames * planes.length),
                locate(BenchmarkLayout.LABEL_DATASET, (long) frames * label.length));
        try (FileChannel file = FileChannel.open(videoTemp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (DatasetPlace place : places) {
                UnsignedBytePatch.apply(file, place.headerAddress(), place.name());
            }
            copy(dataSpool, file, places.get(0).dataAddress(), places.get(0).bytes());
            copy(labelSpool, file, places.get(1).dataAddress(), places.get(1).bytes());
            file.force(true);
        }
    }

    private record DatasetPlace(String name, long headerAddress, long dataAddress, long bytes) {}

    private DatasetPlace locate(String dataset, long expectedBytes) throws IOException {
        try (HdfFile file = new HdfFile(videoTemp)) {
            Dataset ds = file.getDatasetByPath(dataset);
            if (!(ds instanceof ContiguousDataset contiguous) || ds.getSizeInBytes() != expectedBytes) {
                throw new IOException("jhdf laid out dataset '" + dataset + "' unexpectedly ("
                        + ds.getDataLayout() + ", " + ds.getSizeInBytes() + " bytes, expected contiguous "
                        + expectedBytes + ")");
            }
            return new DatasetPlace(dataset, ds.getAddress(), contiguous.getDataAddress(), expectedBytes);
        } catch (HdfException e) {
            throw new IOException("cannot read back " + videoTemp + ": " + e.getMessage(), e);
        }
    }

    private static void copy(Path spool, FileChannel target, long address, long bytes) throws IOException {
        try (FileChannel in = FileChannel.open(spool, StandardOpenOption.READ)) {
            if (in.size() != bytes) {
                throw new IOException("spool " + spool + " holds " + in.size() + " bytes, expected " + bytes);
            }
            long done = 0;
            while (done < bytes) {
                long n = target.transferFrom(in, address + done, bytes - done);
                if (n <= 0) {
                    throw new IOException("could not copy " + spool + " into " + target);
                }
                done += n;
            }
        }
    }

    private void closeStreams() throws IOException {
        IOException first = null;
        for (Closeable c : new Closeable[] {dataOut, labelOut, timestampsOut, currentsOut}) {
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("writer of recording '" + name + "' is closed");
        }
    }

    private static Path temp(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteQuietly(Path... paths) {
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // Leftover temporary files are hidden (dot names) and overwritten by the next writer.
            }
        }
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
