package org.recurrent4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.recurrent4j.tagging.ConllReader;
import org.recurrent4j.tagging.Sentence;
import picocli.CommandLine.Option;

/** How CoNLL files are read: columns and tag scheme. */
final class ReaderOptions {

    @Option(names = "--token-column", defaultValue = "0", description = "Column of the token (0-based; negative "
            + "counts from the end). Default: ${DEFAULT-VALUE}")
    int tokenColumn;

    @Option(names = "--tag-column", defaultValue = "-1", description = "Column of the tag (0-based; -1 is the last). "
            + "Default: ${DEFAULT-VALUE}")
    int tagColumn;

    @Option(names = "--scheme", defaultValue = "auto", description = "Tag scheme of the files: auto (any of IOB1, "
            + "IOB2 and BIOES, chunks read with conlleval's rules), or IOB1, BIO (IOB2) or BIOES to check the tags "
            + "against one. Default: ${DEFAULT-VALUE}")
    String scheme;

    @Option(names = "--pos", description = "The tags are plain labels (part of speech), not entity chunks: no scheme "
            + "check, model chosen by token accuracy.")
    boolean plainTags;

    ConllReader reader() {
        return ConllReader.forSchemeOption(tokenColumn, tagColumn, scheme, plainTags);
    }

    /** Reads a CoNLL file, entity tags converted to BIO, the scheme the tagger trains on. */
    List<Sentence> read(Path file) throws IOException {
        return reader().readAsBio(file);
    }
}
