package org.fmfstream.model.dataset;

import io.jhdf.checksum.ChecksumUtils;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Marks a jhdf-written 8-bit dataset as unsigned. jhdf's writer declares every Java {@code byte} array
 * as signed int8, but the benchmark's arrays are uint8 and the public loader reads them with
 * {@code np.array(..., dtype=np.uint8)}, which HDF5 converts by clamping: pixel 200 stored as int8 -56
 * would come out as 0. The datatype lives in the dataset's object header, so we clear the "signed" bit
 * of its fixed-point datatype message and recompute the header checksum.
 *
 * <p>Only the layout jhdf writes is handled (object header version 2, one chunk); anything else is
 * refused rather than guessed at.
 */
final class UnsignedBytePatch {
    private static final int DATATYPE_MESSAGE = 0x03;
    private static final int FIXED_POINT_CLASS = 0;
    private static final int SIGNED_BIT = 0x08;
    private static final int MAX_HEADER_BYTES = 1 << 16;

    private UnsignedBytePatch() {}

    static void apply(FileChannel file, long headerAddress, String dataset) throws IOException {
        ByteBuffer prefix = read(file, headerAddress, 6 + 16 + 4 + 8);
        if (prefix.get(0) != 'O' || prefix.get(1) != 'H' || prefix.get(2) != 'D' || prefix.get(3) != 'R'
                || prefix.get(4) != 2) {
            throw new IOException("dataset '" + dataset + "' does not have the version-2 object header jhdf writes");
        }
        int flags = prefix.get(5) & 0xff;
        int pos = 6;
        if ((flags & 0x20) != 0) {
            pos += 16; // access, modification, change and birth times
        }
        if ((flags & 0x10) != 0) {
            pos += 4; // attribute storage phase change values
        }
        int sizeBytes = 1 << (flags & 0x03);
        long chunkSize = 0;
        for (int i = 0; i < sizeBytes; i++) {
            chunkSize |= (long) (prefix.get(pos + i) & 0xff) << (8 * i);
        }
        pos += sizeBytes;
        if (chunkSize <= 0 || chunkSize > MAX_HEADER_BYTES) {
            throw new IOException("dataset '" + dataset + "' has an implausible object header size " + chunkSize);
        }
        int end = pos + (int) chunkSize;
        ByteBuffer header = read(file, headerAddress, end + 4);
        boolean creationOrder = (flags & 0x04) != 0;
        int messageHeader = creationOrder ? 6 : 4;
        boolean patched = false;
        int p = pos;
        while (p + messageHeader <= end) {
            int type = header.get(p) & 0xff;
            int size = header.getShort(p + 1) & 0xffff;
            int data = p + messageHeader;
            if (type == DATATYPE_MESSAGE && size >= 8) {
                int typeClass = header.get(data) & 0x0f;
                int elementSize = header.getInt(data + 4);
                if (typeClass != FIXED_POINT_CLASS || elementSize != 1) {
                    throw new IOException("dataset '" + dataset + "' is not an 8-bit integer dataset");
                }
                header.put(data + 1, (byte) (header.get(data + 1) & ~SIGNED_BIT));
                patched = true;
                break;
            }
            p = data + size;
        }
        if (!patched) {
            throw new IOException("dataset '" + dataset + "' has no datatype message in its object header");
        }
        byte[] covered = new byte[end];
        header.get(0, covered);
        header.putInt(end, ChecksumUtils.checksum(covered));
        header.rewind();
        file.write(header, headerAddress);
    }

    private static ByteBuffer read(FileChannel file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("object header at " + position + " runs past the end of the file");
            }
        }
        buffer.flip();
        return buffer;
    }
}
