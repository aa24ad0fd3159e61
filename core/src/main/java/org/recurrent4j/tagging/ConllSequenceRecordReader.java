package org.recurrent4j.tagging;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datavec.api.records.reader.SequenceRecordReader;
import org.datavec.api.records.reader.impl.collection.CollectionSequenceRecordReader;
import org.datavec.api.writable.Text;
import org.datavec.api.writable.Writable;

/**
 * A CoNLL file as a DataVec {@link SequenceRecordReader}: one sequence per sentence, each step {@code [token, tag]}
 * as {@link Text} writables, so the file drops into DataVec pipelines.
 */
public class ConllSequenceRecordReader extends CollectionSequenceRecordReader {

    public ConllSequenceRecordReader(Path file, ConllReader reader) throws IOException {
        super(toRecords(reader.read(file)));
    }

    public ConllSequenceRecordReader(List<Sentence> sentences) {
        super(toRecords(sentences));
    }

    private static List<List<List<Writable>>> toRecords(List<Sentence> sentences) {
        List<List<List<Writable>>> out = new ArrayList<>();
        for (Sentence s : sentences) {
            List<List<Writable>> seq = new ArrayList<>();
            for (int i = 0; i < s.length(); i++) {
                seq.add(List.of(new Text(s.tokens().get(i)), new Text(s.tags().get(i))));
            }
            out.add(seq);
        }
        return out;
    }

    /** Reads every sequence of {@code [token, tag]} steps from a DataVec reader. */
    public static List<Sentence> sentences(SequenceRecordReader reader) {
        List<Sentence> out = new ArrayList<>();
        reader.reset();
        while (reader.hasNext()) {
            List<List<Writable>> seq = reader.sequenceRecord();
            List<String> tokens = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            for (List<Writable> step : seq) {
                tokens.add(step.get(0).toString());
                tags.add(step.get(1).toString());
            }
            out.add(new Sentence(tokens, tags, 0));
        }
        return out;
    }
}
