package org.fmfstream.model.dataset;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.FixedPoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One {@code videos/NAME.mat} opened with jhdf: checks that {@code data} is uint8 [T, 3, W, H] and
 * {@code label} uint8 [T, W, H] of the same T, W, H, and reads frame slices as raw bytes in the file's
 * order (contiguous or chunked and compressed, as MATLAB writes them). Consecutive whole frames of a
 * contiguous dataset are one byte range, so those are read straight from the file, and chunked ones
 * are assembled from their chunks ({@link ChunkAssembler}): jhdf's slicing goes one innermost row or
 * element at a time, which made replaying about ten times slower. jhdf's slicing stays the fallback.
 */
final class BenchmarkVideo implements AutoCloseable {
    private final Path path;
    private final HdfFile file;
    private final DatasetBase data;
    private final DatasetBase label;
    private final int frames;
    private final int width;
    private final int height;
    /** Open on the file when both datasets are contiguous, else null. */
    private final FileChannel raw;
    private final long dataOffset;
    private final long labelOffset;
    /** For chunked datasets, else null. */
    private final ChunkAssembler dataChunks;
    private final ChunkAssembler labelChunks;

    private BenchmarkVideo(Path path, HdfFile file, DatasetBase data, DatasetBase label) throws IOException {
        this.path = path;
        this.file = file;
        this.data = data;
        this.label = label;
        int[] dims = data.getDimensions();
        this.frames = dims[0];
        this.width = dims[2];
        this.height = dims[3];
        if (data instanceof ContiguousDataset d && label instanceof ContiguousDataset l
                && !data.isEmpty() && !label.isEmpty()) {
            // Addresses count from the superblock, which follows MATLAB's 512-byte user block.
            this.dataOffset = file.getUserBlockSize() + d.getDataAddress();
            this.labelOffset = file.getUserBlockSize() + l.getDataAddress();
            this.raw = FileChannel.open(path, StandardOpenOption.READ);
        } else {
            this.dataOffset = -1;
            this.labelOffset = -1;
            this.raw = null;
        }
        this.dataChunks = data instanceof ChunkedDataset c ? new ChunkAssembler(c) : null;
        this.labelChunks = label instanceof ChunkedDataset c ? new ChunkAssembler(c) : null;
    }

    static BenchmarkVideo open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new BenchmarkFormatException(path + " is missing");
        }
        HdfFile file;
        try {
            file = new HdfFile(path);
        } catch (HdfException | IllegalArgumentException | IllegalStateException e) {
            throw new BenchmarkFormatException(path + " is not an HDF5 (MATLAB v7.3) file: " + e.getMessage(), e);
        }
        try {
            DatasetBase data = byteDataset(path, file, BenchmarkLayout.DATA_DATASET);
            DatasetBase label = byteDataset(path, file, BenchmarkLayout.LABEL_DATASET);
            int[] d = data.getDimensions();
            int[] l = label.getDimensions();
            if (d.length != 4 || d[1] != 3) {
                throw new BenchmarkFormatException(path + ": dataset 'data' has shape " + Arrays.toString(d)
                        + "; expected [T, 3, W, H] (frames, RGB channels, width, height)");
            }
            if (d[2] <= 0 || d[3] <= 0) {
                throw new BenchmarkFormatException(path + ": dataset 'data' has empty frames " + Arrays.toString(d));
            }
            if (l.length != 3 || l[0] != d[0] || l[1] != d[2] || l[2] != d[3]) {
                throw new BenchmarkFormatException(path + ": dataset 'label' has shape " + Arrays.toString(l)
                        + " but 'data' has " + Arrays.toString(d) + "; the label must be [" + d[0] + ", "
                        + d[2] + ", " + d[3] + "] (one W x H mask per frame)");
            }
            return new BenchmarkVideo(path, file, data, label);
        } catch (IOException e) {
            file.close();
            throw new BenchmarkFormatException(path + " cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            file.close();
            if (e instanceof BenchmarkFormatException) {
                throw e;
            }
            throw new BenchmarkFormatException(path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static DatasetBase byteDataset(Path path, HdfFile file, String name) {
        Node node = file.getChildren().get(name);
        if (node == null) {
            throw new BenchmarkFormatException(path + " has no dataset '" + name + "' (found "
                    + file.getChildren().keySet() + ")");
        }
        if (!(node instanceof Dataset ds)) {
            throw new BenchmarkFormatException(path + ": '" + name + "' is a " + node.getType() + ", not a dataset");
        }
        if (!(ds.getDataType() instanceof FixedPoint) || ds.getDataType().getSize() != 1) {
            throw new BenchmarkFormatException(path + ": dataset '" + name + "' holds " + ds.getJavaType()
                    + " values of " + ds.getDataType().getSize() + " byte(s); expected 8-bit integers (uint8)");
        }
        if (!(ds instanceof DatasetBase base)) {
            throw new BenchmarkFormatException(path + ": dataset '" + name + "' has an unsupported storage layout "
                    + ds.getDataLayout());
        }
        return base;
    }

    Path path() {
        return path;
    }

    int frames() {
        return frames;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** A slice length near {@code target} frames that decompresses no chunk twice. */
    int sliceFrames(int target) {
        int chunkFrames = dataChunks == null ? 1 : dataChunks.framesPerChunk();
        return (Math.max(1, target) + chunkFrames - 1) / chunkFrames * chunkFrames;
    }

    /** Frames {@code from .. from+count-1} as [count][3][W][H] bytes. */
    byte[] readPlanes(int from, int count) {
        return slice(data, dataChunks, new long[] {from, 0, 0, 0}, new int[] {count, 3, width, height}, from, count,
                dataOffset, 3L * width * height);
    }

    /** Labels of frames {@code from .. from+count-1} as [count][W][H] bytes. */
    byte[] readLabels(int from, int count) {
        return slice(label, labelChunks, new long[] {from, 0, 0}, new int[] {count, width, height}, from, count,
                labelOffset, (long) width * height);
    }

    private byte[] slice(DatasetBase ds, ChunkAssembler chunks, long[] offset, int[] shape, int from, int count,
                         long fileOffset, long frameBytes) {
        if (from < 0 || count < 0 || (long) from + count > frames) {
            throw new IndexOutOfBoundsException("frames " + from + ".." + ((long) from + count - 1) + " of " + path
                    + ", which has " + frames);
        }
        if (raw != null) {
            return readRange(fileOffset + from * frameBytes, Math.toIntExact(count * frameBytes), from, count);
        }
        if (chunks != null) {
            try {
                return chunks.read(from, count);
            } catch (HdfException e) {
                // A missing (never written) chunk: jhdf's slicing fills it with the fill value.
            }
        }
        try {
            ByteBuffer buffer = ds.getSliceDataBuffer(offset, shape);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (HdfException e) {
            throw new BenchmarkFormatException("cannot read frames " + from + ".." + (from + count - 1) + " of "
                    + path + ": " + e.getMessage(), e);
        }
    }

    private byte[] readRange(long position, int length, int from, int count) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try {
            while (buffer.hasRemaining()) {
                if (raw.read(buffer, position + buffer.position()) < 0) {
                    throw new BenchmarkFormatException(path + " is truncated: frames " + from + ".."
                            + (from + count - 1) + " lie past its end");
                }
            }
        } catch (IOException e) {
            throw new BenchmarkFormatException("cannot read frames " + from + ".." + (from + count - 1) + " of "
                    + path + ": " + e.getMessage(), e);
        }
        return buffer.array();
    }

    @Override
    public void close() {
        try {
            if (raw != null) {
                raw.close();
            }
        } catch (IOException ignored) {
            // Read-only; nothing is lost.
        } finally {
            file.close();
        }
    }
}
