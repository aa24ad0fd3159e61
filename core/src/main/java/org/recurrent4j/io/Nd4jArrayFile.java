package org.recurrent4j.io;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Checks an array in ND4J's binary format ({@code Nd4j.write}: the shape-information buffer, then the data buffer,
 * each as an allocation mode, a length, a data type and the values) against the bytes really there, before ND4J's
 * reader allocates what the header declares: a crafted header could declare terabytes. The shape must be that of a
 * dense array of the declared length, and the values must fill the rest of the bytes exactly.
 */
public final class Nd4jArrayFile {

    /** Bytes per element of the data types ND4J writes. */
    private static final Map<String, Integer> SIZES = Map.ofEntries(Map.entry("DOUBLE", 8), Map.entry("FLOAT", 4),
            Map.entry("HALF", 2), Map.entry("BFLOAT16", 2), Map.entry("LONG", 8), Map.entry("INT", 4),
            Map.entry("SHORT", 2), Map.entry("BYTE", 1), Map.entry("UBYTE", 1), Map.entry("BOOL", 1),
            Map.entry("UINT16", 2), Map.entry("UINT32", 4), Map.entry("UINT64", 8));
    private static final int MAX_RANK = 32;

    private Nd4jArrayFile() {
    }

    /**
     * @param bytes the array as written
     * @param what  the file and entry, for messages
     * @return the number of elements
     * @throws IOException naming {@code what} where the header does not describe the bytes
     */
    public static long check(byte[] bytes, String what) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long[] shapeInfo = longs(in, what, "shape information");
            long rank = shapeInfo.length >= 1 ? shapeInfo[0] : -1;
            if (rank < 0 || rank > MAX_RANK || shapeInfo.length != 2 * rank + 4) {
                throw new IOException(what + ": an array header with " + shapeInfo.length + " shape entries and rank "
                        + rank + ": damaged");
            }
            long elements = 1;
            for (int d = 1; d <= rank; d++) {
                if (shapeInfo[d] < 0 || (shapeInfo[d] > 0 && elements > Long.MAX_VALUE / shapeInfo[d])) {
                    throw new IOException(what + ": dimension " + shapeInfo[d] + " in an array header: damaged");
                }
                elements *= shapeInfo[d];
            }
            String mode = in.readUTF();
            checkMode(mode, what);
            long length = in.readLong();
            String type = in.readUTF();
            Integer size = SIZES.get(type);
            if (size == null) {
                throw new IOException(what + ": unknown data type '" + type + "' in an array header: damaged");
            }
            long remaining = in.available();
            if (length != elements || length < 0 || length > remaining / size || length * size != remaining) {
                throw new IOException(what + ": the header declares " + length + " " + type.toLowerCase()
                        + " values for " + elements + " elements, and " + remaining + " bytes follow: damaged or cut"
                        + " short");
            }
            return length;
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new IOException(what + ": an array header cut short or damaged");
        }
    }

    private static long[] longs(DataInputStream in, String what, String part) throws IOException {
        checkMode(in.readUTF(), what);
        long n = in.readLong();
        String type = in.readUTF();
        if (!type.equals("LONG") || n < 0 || n > 2 * MAX_RANK + 4 || n * 8 > in.available()) {
            throw new IOException(what + ": the " + part + " of an array header is damaged (" + n + " values of type "
                    + type + ")");
        }
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readLong();
        }
        return v;
    }

    private static void checkMode(String mode, String what) throws IOException {
        if (!mode.equals("MIXED_DATA_TYPES") && !mode.equals("LONG_SHAPE")) {
            throw new IOException(what + ": array header with allocation mode '" + mode + "': not written by this "
                    + "ND4J version, or damaged");
        }
    }
}
