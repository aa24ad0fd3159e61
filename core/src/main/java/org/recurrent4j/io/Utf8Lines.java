package org.recurrent4j.io;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Lines of a UTF-8 text, read strictly: LF and CRLF line ends alike, a last line without a newline, a byte-order
 * mark at the start dropped, and any byte sequence that is not UTF-8 an error naming the source and the line, with
 * the fix ({@code iconv}). Decoding is per line, so the line named is the line with the bad byte.
 */
public final class Utf8Lines implements Closeable {

    private final InputStream in;
    private final String what;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private int lineNo;

    /** @param what the file's name, for messages */
    /** The longest line read: a file with no line ends would otherwise be gathered whole into memory. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    public Utf8Lines(InputStream in, String what) {
        this.in = in;
        this.what = what;
    }

    /** The number of the line last returned, 1-based. */
    public int lineNumber() {
        return lineNo;
    }

    /** The next line without its line end, or null at the end. */
    public String next() throws IOException {
        line.reset();
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n') {
                pos++;
            }
            line.write(buf, start, pos - start);
            if (line.size() > MAX_LINE_BYTES) {
                throw new IOException(what + " line " + (lineNo + 1) + ": longer than " + MAX_LINE_BYTES
                        + " bytes without a line end: not a text file of this format");
            }
            if (pos < end) {
                pos++;   // the newline
                break;
            }
        }
        lineNo++;
        byte[] b = line.toByteArray();
        int len = b.length;
        if (len > 0 && b[len - 1] == '\r') {
            len--;
        }
        int off = 0;
        if (lineNo == 1 && len >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
            off = 3;
        }
        try {
            return utf8.decode(ByteBuffer.wrap(b, off, len - off)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(what + " line " + lineNo + ": not UTF-8 text: convert it first, e.g. "
                    + "iconv -f LATIN1 -t UTF-8 FILE > FILE.utf8");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
