package org.recurrent4j.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.kryo.Nd4jRegistrator;
import org.recurrent4j.tagging.Sentence;

/**
 * Kryo for recurrent4j on Spark: ND4J's registrations (arrays as their buffers), and {@link Sentence}, a record, which
 * Kryo 4's field serializer cannot build. {@link SparkTraining#configure} sets it.
 */
public final class Recurrent4jKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        new Nd4jRegistrator().registerClasses(kryo);
        kryo.register(Sentence.class, new SentenceSerializer());
    }

    /** A sentence as its line, its token count, its tokens, whether it has tags, and its tags. */
    static final class SentenceSerializer extends Serializer<Sentence> {
        SentenceSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output out, Sentence s) {
            out.writeInt(s.line());
            out.writeInt(s.length(), true);
            s.tokens().forEach(out::writeString);
            out.writeBoolean(s.tags() != null);
            if (s.tags() != null) {
                s.tags().forEach(out::writeString);
            }
        }

        @Override
        public Sentence read(Kryo kryo, Input in, Class<Sentence> type) {
            int line = in.readInt();
            int n = in.readInt(true);
            List<String> tokens = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tokens.add(in.readString());
            }
            List<String> tags = null;
            if (in.readBoolean()) {
                tags = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    tags.add(in.readString());
                }
            }
            return new Sentence(tokens, tags, line);
        }
    }
}
