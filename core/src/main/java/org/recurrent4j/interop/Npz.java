package org.recurrent4j.interop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.io.BoundedZip;

/**
 * Reads {@code numpy.savez} / {@code savez_compressed} files: a zip of {@code .npy} arrays (NumPy's format, versions
 * 1 to 3: a magic string, a header length, a Python dict literal with {@code descr}, {@code fortran_order} and
 * {@code shape}, then the values). The archive is read with {@link BoundedZip}'s bounds, and each header's shape and
 * data type are checked against the bytes really there before anything is allocated. Little-endian float32, float64,
 * int32 and int64 arrays, the types a PyTorch state_dict saved through NumPy holds.
 */
public final class Npz {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern TYPE = Pattern.compile("([<>|=])([fiu])(\\d{1,2})");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final int MAX_RANK = 32;

    private Npz() {
    }

    /**
     * The arrays of {@code file} by name (the entry names without {@code .npy}).
     *
     * @throws IOException naming the file and the entry where the archive or an array is malformed, of a type other
     *                     than those above, or declares more values than it holds
     */
    public static Map<String, INDArray> read(Path file) throws IOException {
        Map<String, INDArray> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : BoundedZip.read(file, null, "a numpy.savez file").entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(".npy")) {
                throw new IOException(file + ": entry '" + name + "' is not a .npy array: not a numpy.savez file");
            }
            out.put(name.substring(0, name.length() - 4), npy(e.getValue(), file + "!" + name));
        }
        return out;
    }

    /** One {@code .npy} array; {@code what} names it in messages. */
    static INDArray npy(byte[] b, String what) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(b, 6), MAGIC)) {
            throw new IOException(what + ": not a .npy array (no \\x93NUMPY magic)");
        }
        int major = b[6];
        long headerLength;
        int start;
        if (major == 1) {
            headerLength = buf.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) {
                throw new IOException(what + ": a .npy header cut short");
            }
            headerLength = buf.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new IOException(what + ": .npy format version " + major + ", this reader knows 1 to 3");
        }
        if (start + headerLength > b.length) {
            throw new IOException(what + ": the .npy header declares " + headerLength + " bytes, the array has "
                    + (b.length - start) + ": cut short or damaged");
        }
        String header = new String(b, start, (int) headerLength, major == 3 ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(what + ": a .npy header without descr, fortran_order or shape: "
                    + clip(header.strip()));
        }
        Matcher dt = TYPE.matcher(d.group(1));
        DataType type = null;
        int size = 0;
        if (dt.matches() && !dt.group(1).equals(">")) {
            String kind = dt.group(2);
            size = Integer.parseInt(dt.group(3));
            type = kind.equals("f") && size == 4 ? DataType.FLOAT : kind.equals("f") && size == 8 ? DataType.DOUBLE
                    : kind.equals("i") && size == 4 ? DataType.INT : kind.equals("i") && size == 8 ? DataType.LONG
                    : null;
        }
        if (type == null) {
            throw new IOException(what + ": data type '" + clip(d.group(1)) + "'; this reader takes little-endian "
                    + "float32, float64, int32 and int64 ('<f4', '<f8', '<i4', '<i8')");
        }
        String[] dims = s.group(1).trim().isEmpty() ? new String[0] : s.group(1).split(",");
        long[] shape = new long[dims.length];
        int rank = 0;
        long count = 1;
        for (String dim : dims) {
            String t = dim.trim();
            if (t.isEmpty()) {
                continue;   // the trailing comma of a 1-tuple
            }
            if (rank == MAX_RANK || !t.matches("\\d{1,18}")) {
                throw new IOException(what + ": shape (" + clip(s.group(1)) + ") in a .npy header: damaged");
            }
            long v = Long.parseLong(t);
            if (v > 0 && count > Long.MAX_VALUE / v) {
                throw new IOException(what + ": shape (" + clip(s.group(1)) + ") is too large");
            }
            count *= v;
            shape[rank++] = v;
        }
        shape = java.util.Arrays.copyOf(shape, rank);
        long data = b.length - start - headerLength;
        if (count > data / size || count * size != data) {
            throw new IOException(what + ": the header declares shape " + java.util.Arrays.toString(shape) + " of "
                    + type.name().toLowerCase() + " (" + count + " values), and " + data + " bytes follow: "
                    + (count <= data / size ? "more than declared, damaged" : "cut short or damaged"));
        }
        ByteBuffer values = ByteBuffer.wrap(b, (int) (start + headerLength), (int) data).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        char order = f.group(1).equals("True") ? 'f' : 'c';
        if (rank == 0) {
            return switch (type) {
                case FLOAT -> Nd4j.scalar(values.getFloat(0));
                case DOUBLE -> Nd4j.scalar(values.getDouble(0));
                case INT -> Nd4j.scalar(values.getInt(0));
                default -> Nd4j.scalar(values.getLong(0));
            };
        }
        INDArray a;
        switch (type) {
            case FLOAT -> {
                float[] v = new float[(int) count];
                values.asFloatBuffer().get(v);
                a = Nd4j.create(v, shape, order);
            }
            case DOUBLE -> {
                double[] v = new double[(int) count];
                values.asDoubleBuffer().get(v);
                a = Nd4j.create(v, shape, order);
            }
            case INT -> {
                int[] v = new int[(int) count];
                values.asIntBuffer().get(v);
                a = Nd4j.createFromArray(v).reshape(order, shape);
            }
            default -> {
                long[] v = new long[(int) count];
                values.asLongBuffer().get(v);
                a = Nd4j.createFromArray(v).reshape(order, shape);
            }
        }
        return a;
    }

    private static String clip(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
