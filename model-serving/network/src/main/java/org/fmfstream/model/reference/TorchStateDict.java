package org.fmfstream.model.reference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads a PyTorch {@code state_dict} file as {@code torch.save} writes it since PyTorch 1.6: a zip
 * archive with {@code ARCHIVE/data.pkl} (a pickle of an ordered dict from parameter names to
 * tensors) and one entry {@code ARCHIVE/data/KEY} of raw little-endian values per tensor storage.
 *
 * <p>The pickle is read with Razorvine's unpickler; the few PyTorch globals a state_dict pickle
 * uses are given constructors here ({@code collections.OrderedDict}, the typed storage classes,
 * {@code torch._utils._rebuild_tensor_v2} and {@code _rebuild_parameter}); any other global, e.g.
 * a whole pickled {@code nn.Module}, is refused with its name. Tensors come back contiguous
 * (row-major) whatever their strides in the file, as float values whatever their element type.
 */
public final class TorchStateDict {

    /**
     * One tensor: element type as PyTorch names it ({@code float32}, {@code int64}, ...), shape, and
     * its values in row-major order converted to float.
     */
    public record Tensor(String dtype, long[] shape, float[] values) {

        /** Elements: the product of the shape. */
        public long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /** The shape as PyTorch prints it, e.g. {@code [96, 384]}. */
        public String shapeText() {
            return Arrays.toString(shape);
        }
    }

    /** Storage class name -> element type and width (bytes). */
    private static final Map<String, StorageType> STORAGE_TYPES = Map.of(
            "FloatStorage", new StorageType("float32", 4),
            "DoubleStorage", new StorageType("float64", 8),
            "HalfStorage", new StorageType("float16", 2),
            "BFloat16Storage", new StorageType("bfloat16", 2),
            "LongStorage", new StorageType("int64", 8),
            "IntStorage", new StorageType("int32", 4));

    static {
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new OrderedDict());
        for (Map.Entry<String, StorageType> e : STORAGE_TYPES.entrySet()) {
            Unpickler.registerConstructor("torch", e.getKey(), e.getValue());
        }
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchStateDict::rebuildTensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
    }

    private TorchStateDict() {}

    /**
     * Every entry of the state_dict in {@code file}, in the file's order.
     *
     * @throws IOException when the file is not a zip written by {@code torch.save}, a storage is
     *                     missing or short, or the pickle holds something other than a dict of tensors
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IOException(file + " is not a PyTorch zip checkpoint (torch.save since PyTorch 1.6); "
                    + "a file from an older PyTorch must be saved again with a newer one", e);
        }
        try (zip) {
            String archive = archiveName(zip, file);
            checkByteOrder(zip, archive, file);
            Object root;
            try (InputStream pickle = zip.getInputStream(zip.getEntry(archive + "data.pkl"))) {
                root = new StorageUnpickler(zip, archive).load(pickle);
            } catch (PickleException | IllegalArgumentException e) {
                throw new IOException("cannot read the pickle of " + file + ": " + e.getMessage(), e);
            }
            if (!(root instanceof Map<?, ?> map)) {
                throw new IOException(file + " holds a " + typeName(root) + ", not a state_dict "
                        + "(save the model's state_dict(), not the model)");
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof Tensor tensor)) {
                    throw new IOException(file + ": entry " + e.getKey() + " is a " + typeName(e.getValue())
                            + ", not a tensor; a state_dict maps names to tensors");
                }
                tensors.put(key, tensor);
            }
            return Collections.unmodifiableMap(tensors);
        }
    }

    /** The archive folder every entry sits in (torch.save names it after the file). */
    private static String archiveName(ZipFile zip, Path file) throws IOException {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                return name.substring(0, name.length() - "data.pkl".length());
            }
        }
        throw new IOException(file + " is a zip without ARCHIVE/data.pkl: not written by torch.save");
    }

    private static void checkByteOrder(ZipFile zip, String archive, Path file) throws IOException {
        ZipEntry entry = zip.getEntry(archive + "byteorder");
        if (entry == null) {
            return; // written before PyTorch recorded it: little-endian
        }
        try (InputStream in = zip.getInputStream(entry)) {
            String order = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new IOException(file + " stores its tensors " + order + "-endian; only little-endian is read");
            }
        }
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    /**
     * {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks[, metadata])}:
     * gathers the view into a contiguous tensor.
     */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof Storage storage)) {
            throw new PickleException("unexpected arguments of torch._utils._rebuild_tensor_v2");
        }
        long offset = number(args[1]);
        long[] shape = longs(args[2]);
        long[] stride = longs(args[3]);
        if (shape.length != stride.length) {
            throw new PickleException("tensor shape " + Arrays.toString(shape) + " and stride "
                    + Arrays.toString(stride) + " differ in rank");
        }
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        if (size > Integer.MAX_VALUE) {
            throw new PickleException("tensor of " + size + " elements is too large");
        }
        float[] values = new float[(int) size];
        long[] index = new long[shape.length];
        for (int i = 0; i < values.length; i++) {
            long at = offset;
            for (int d = 0; d < shape.length; d++) {
                at += index[d] * stride[d];
            }
            values[i] = storage.value(at);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return new Tensor(storage.type.dtype, shape, values);
    }

    private static long number(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        throw new PickleException("expected an integer, got " + typeName(o));
    }

    private static long[] longs(Object o) {
        if (o instanceof Object[] tuple) {
            long[] out = new long[tuple.length];
            for (int i = 0; i < tuple.length; i++) {
                out[i] = number(tuple[i]);
            }
            return out;
        }
        throw new PickleException("expected a tuple of integers, got " + typeName(o));
    }

    /** A storage class of the pickle ({@code torch.FloatStorage}, ...): element type and width. */
    private record StorageType(String dtype, int bytes) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("a storage class is only a type tag in a state_dict, not called");
        }
    }

    /** One storage's bytes, little-endian. */
    private record Storage(StorageType type, ByteBuffer bytes, long elements) {

        float value(long index) {
            if (index < 0 || index >= elements) {
                throw new PickleException("tensor view reads element " + index + " of a storage of " + elements);
            }
            int at = (int) (index * type.bytes);
            return switch (type.dtype) {
                case "float32" -> bytes.getFloat(at);
                case "float64" -> (float) bytes.getDouble(at);
                case "float16" -> halfToFloat(bytes.getShort(at));
                case "bfloat16" -> Float.intBitsToFloat((bytes.getShort(at) & 0xFFFF) << 16);
                case "int64" -> bytes.getLong(at);
                case "int32" -> bytes.getInt(at);
                default -> throw new PickleException("unsupported element type " + type.dtype);
            };
        }
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The pickle's ordered dict; {@code _metadata} (module versions) arrives as its state and is dropped. */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        /** Called by the unpickler's BUILD with the dict's attributes. */
        public void __setstate__(HashMap<?, ?> state) {
            // Nothing to keep: the metadata records LayerNorm/BatchNorm module versions only.
        }
    }

    /** Resolves persistent ids {@code ('storage', type, key, location, numel)} from the zip's data entries. */
    private static final class StorageUnpickler extends Unpickler {
        private final ZipFile zip;
        private final String archive;
        private final Map<String, Storage> loaded = new HashMap<>();

        StorageUnpickler(ZipFile zip, String archive) {
            this.zip = zip;
            this.archive = archive;
        }

        @Override
        protected Object persistentLoad(Object pid) {
            if (!(pid instanceof Object[] id) || id.length < 5 || !"storage".equals(id[0])) {
                throw new PickleException("unexpected persistent id " + describe(pid));
            }
            if (!(id[1] instanceof StorageType type)) {
                throw new PickleException("unsupported storage type in persistent id " + describe(pid)
                        + "; supported: " + new ArrayList<>(STORAGE_TYPES.keySet()));
            }
            String key = String.valueOf(id[2]);
            long elements = number(id[4]);
            return loaded.computeIfAbsent(key, k -> readStorage(type, k, elements));
        }

        private Storage readStorage(StorageType type, String key, long elements) {
            ZipEntry entry = zip.getEntry(archive + "data/" + key);
            if (entry == null) {
                throw new PickleException("storage " + key + " is missing from the archive");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                byte[] bytes = in.readAllBytes();
                if (bytes.length < elements * type.bytes) {
                    throw new PickleException("storage " + key + " has " + bytes.length + " bytes, "
                            + elements + " " + type.dtype + " values need " + elements * type.bytes);
                }
                return new Storage(type, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), elements);
            } catch (IOException e) {
                throw new PickleException("cannot read storage " + key + ": " + e.getMessage());
            }
        }

        private static String describe(Object pid) {
            return pid instanceof Object[] tuple ? Arrays.asList(tuple).toString() : String.valueOf(pid);
        }
    }
}
