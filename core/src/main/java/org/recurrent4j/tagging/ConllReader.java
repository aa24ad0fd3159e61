package org.recurrent4j.tagging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.recurrent4j.io.Utf8Lines;

/**
 * Reads CoNLL files: one token per line, columns separated by tabs or spaces, a blank line between sentences,
 * {@code -DOCSTART-} lines skipped. The token and tag columns are chosen by index; a negative index counts from the
 * end ({@code -1} is the last column).
 */
public final class ConllReader {

    private final int tokenColumn;
    private final int tagColumn;
    private final TagScheme scheme;
    /** How messages name the scheme: the user may have asked for another one that {@link #scheme} admits. */
    private final String schemeName;

    /** Token in the first column, tag in the last, tags checked against BIO. */
    public ConllReader() {
        this(0, -1, TagScheme.BIO);
    }

    /** @param scheme the scheme tags are checked against, or null to read tags unchecked */
    public ConllReader(int tokenColumn, int tagColumn, TagScheme scheme) {
        this(tokenColumn, tagColumn, scheme, String.valueOf(scheme));
    }

    /**
     * The reader of a command line's options: {@code --scheme} "auto" checks tags with BIOES's prefixes, which admit
     * IOB1, BIO and BIOES files alike, or names one scheme (IOB1, BIO, BIOES) to check them against; {@code --pos}
     * ({@code plainTags}) reads plain labels unchecked.
     *
     * @throws IllegalArgumentException for an unknown scheme name
     */
    public static ConllReader forSchemeOption(int tokenColumn, int tagColumn, String scheme, boolean plainTags) {
        boolean auto = scheme.trim().equalsIgnoreCase("auto");
        TagScheme checked = auto ? TagScheme.BIOES : TagScheme.parse(scheme);
        return new ConllReader(tokenColumn, tagColumn, plainTags ? null : checked,
                auto ? "IOB1, BIO or BIOES (--scheme auto)" : String.valueOf(checked));
    }

    /**
     * As {@link #read(Path)}, entity tags converted to BIO, the scheme the tagger trains from (IOB1 chunks read with
     * conlleval's rules); plain labels as they are.
     */
    public List<Sentence> readAsBio(Path file) throws IOException {
        return asBio(read(file));
    }

    /** As {@link #read(java.io.InputStream, String)}, entity tags converted to BIO as {@link #readAsBio(Path)}. */
    public List<Sentence> readAsBio(java.io.InputStream in, String name) throws IOException {
        return asBio(read(in, name));
    }

    private List<Sentence> asBio(List<Sentence> s) {
        if (scheme == null || scheme == TagScheme.BIO) {
            return s;
        }
        return s.stream().map(x -> new Sentence(x.tokens(), TagScheme.BIO.convert(x.tags()), x.line())).toList();
    }

    /**
     * As above, with {@code schemeName} naming the scheme in messages: {@code --scheme auto} reads with BIOES's
     * prefixes, which admit IOB1, BIO and BIOES, and its messages should say so.
     */
    public ConllReader(int tokenColumn, int tagColumn, TagScheme scheme, String schemeName) {
        this.tokenColumn = tokenColumn;
        this.tagColumn = tagColumn;
        this.scheme = scheme;
        this.schemeName = schemeName;
    }

    /**
     * @throws ConllFormatException naming the file and line of a malformed line, an invalid tag, or an empty file
     * @throws NoSuchFileException  where the file does not exist
     */
    public List<Sentence> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        return read(Files.newInputStream(file), file.toString());
    }

    /**
     * Reads CoNLL text from {@code in} (closed at the end), which messages call {@code name}: a file on a cluster's
     * file system, read where it lies.
     *
     * @throws ConllFormatException naming {@code name} and the line of a malformed line, an invalid tag, or an empty
     *                              text
     */
    public List<Sentence> read(java.io.InputStream in, String name) throws IOException {
        Path file = Path.of(name);
        List<Sentence> out = new ArrayList<>();
        try (Utf8Lines r = new Utf8Lines(in, name)) {
            List<String> tokens = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            int start = 0;
            int lineNo = 0;
            int columns = -1;
            int columnsLine = 0;
            for (String line = r.next(); ; line = r.next()) {
                lineNo = line == null ? lineNo + 1 : r.lineNumber();
                if (line == null || line.isBlank()) {
                    if (!tokens.isEmpty()) {
                        out.add(new Sentence(tokens, tags, start));
                        tokens = new ArrayList<>();
                        tags = new ArrayList<>();
                    }
                    if (line == null) {
                        break;
                    }
                    continue;
                }
                // a line with tabs is split at tabs only, so that tokens may hold spaces
                String[] cols = line.indexOf('\t') >= 0 ? line.strip().split("\t+") : line.strip().split(" +");
                if (cols[0].equals("-DOCSTART-")) {   // a document boundary: it ends a sentence, blank line or not
                    if (!tokens.isEmpty()) {
                        out.add(new Sentence(tokens, tags, start));
                        tokens = new ArrayList<>();
                        tags = new ArrayList<>();
                    }
                    continue;
                }
                if (columns < 0) {
                    columns = cols.length;
                    columnsLine = lineNo;
                } else if (cols.length != columns) {
                    throw new ConllFormatException(file, lineNo, cols.length + " columns where line " + columnsLine
                            + " has " + columns + ": every token line needs the same columns (token column "
                            + tokenColumn + ", tag column " + tagColumn + "), got '" + line + "'");
                }
                int tok = tokenColumn >= 0 ? tokenColumn : cols.length + tokenColumn;
                int tag = tagColumn >= 0 ? tagColumn : cols.length + tagColumn;
                int needed = Math.max(tokenColumn >= 0 ? tokenColumn : -tokenColumn - 1,
                        tagColumn >= 0 ? tagColumn : -tagColumn - 1) + 1;
                if (cols.length < 2 || cols.length < needed || tok == tag) {
                    throw new ConllFormatException(file, lineNo, "expected a token and a tag separated by a tab or "
                            + "spaces (token column " + tokenColumn + ", tag column " + tagColumn + "), got '" + line
                            + "'");
                }
                String t = cols[tag];
                if (scheme != null) {
                    try {
                        scheme.validate(List.of(t));
                    } catch (IllegalArgumentException e) {
                        throw new ConllFormatException(file, lineNo, "tag '" + t + "' is not valid in " + schemeName
                                + ": expected O or B-/I-" + (scheme == TagScheme.BIOES ? "/E-/S-" : "") + "TYPE "
                                + "(--scheme names the file's scheme)");
                    }
                }
                if (tokens.isEmpty()) {
                    start = lineNo;
                }
                tokens.add(cols[tok]);
                tags.add(t);
            }
        }
        if (out.isEmpty()) {
            throw new ConllFormatException(file, "no sentences: the file is empty or holds only -DOCSTART- lines");
        }
        return out;
    }

    /** Writes sentences as {@code token<TAB>tag} lines, a blank line after each. */
    public static void write(List<Sentence> sentences, Appendable out) throws IOException {
        for (Sentence s : sentences) {
            for (int i = 0; i < s.length(); i++) {
                out.append(s.tokens().get(i)).append('\t').append(s.tags().get(i)).append('\n');
            }
            out.append('\n');
        }
    }
}
