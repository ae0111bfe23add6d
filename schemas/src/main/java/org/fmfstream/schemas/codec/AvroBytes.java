package org.fmfstream.schemas.codec;

import java.nio.ByteBuffer;

/** Avro {@code bytes} fields arrive as {@link ByteBuffer}s that may be views into a larger array. */
public final class AvroBytes {

    private AvroBytes() {}

    /** A copy of the buffer's remaining bytes; the buffer's position is left as it was. */
    public static byte[] copy(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
