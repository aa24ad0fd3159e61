package org.recurrent4j.tagging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of training checkpoints: each a complete model file (network with optimizer state, vocabularies,
 * settings) plus the training state, written atomically, the newest few kept. Resuming takes the newest checkpoint
 * that loads, skipping damaged ones.
 */
public final class Checkpoints {

    static final String STATE = "training-state.ser";
    private static final Pattern NAME = Pattern.compile("checkpoint-e(\\d+)-b(\\d+)\\.zip");

    private final Path dir;
    private final int keep;

    /** A checkpoint that loaded, and the ones skipped on the way to it. */
    record Loaded(Path file, Tagger tagger, TrainingState state, List<String> skipped) {
    }

    public Checkpoints(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one checkpoint, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    /** Writes a checkpoint and deletes all but the newest {@code keep}. */
    Path write(Tagger tagger, TrainingState state) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(String.format("checkpoint-e%04d-b%07d.zip", state.epoch, state.position));
        tagger.save(file, Map.of(STATE, state.toBytes()));
        List<Path> all = list();
        for (int i = keep; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
        return file;
    }

    /** Checkpoint files, newest first. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        }
    }

    /** The newest checkpoint that loads, or null where there is none. */
    Loaded newest() throws IOException {
        List<String> skipped = new ArrayList<>();
        for (Path p : list()) {
            try {
                Map<String, byte[]> extra = new HashMap<>();
                Tagger t = Tagger.load(p, extra);
                byte[] state = extra.get(STATE);
                if (state == null) {
                    throw new IOException(p + " has no training state");
                }
                return new Loaded(p, t, TrainingState.fromBytes(state), skipped);
            } catch (IOException | RuntimeException e) {
                skipped.add(p.getFileName() + " (" + e.getMessage() + ")");
            }
        }
        if (!skipped.isEmpty()) {
            throw new IOException("no checkpoint in " + dir + " could be loaded: " + skipped);
        }
        return null;
    }
}
