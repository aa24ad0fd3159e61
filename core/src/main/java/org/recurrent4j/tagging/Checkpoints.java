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

    /** The training state, JSON ({@link TrainingState}). */
    static final String STATE = "training-state.json";
    /** The best parameters so far, in ND4J's binary format. */
    static final String BEST_PARAMS = "best-params.bin";
    /** Where versions before 2026-12 kept a Java-serialized training state, which is no longer read. */
    static final String OLD_STATE = "training-state.ser";
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
        Map<String, byte[]> extra = new java.util.LinkedHashMap<>();
        extra.put(STATE, state.toJson());
        byte[] best = state.bestParamsBytes();
        if (best != null) {
            extra.put(BEST_PARAMS, best);
        }
        tagger.save(file, extra);
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

    /**
     * The newest checkpoint that loads and fits training data of {@code batches} batches, or null where the directory
     * has none at all. Damaged, cut short, crafted or foreign checkpoints are skipped, each with the reason.
     *
     * @throws NoValidCheckpointException where there are checkpoints and none of them is valid
     */
    Loaded newest(int batches) throws IOException {
        List<String> skipped = new ArrayList<>();
        for (Path p : list()) {
            try {
                Map<String, byte[]> extra = new HashMap<>();
                Tagger t = Tagger.load(p, extra);
                byte[] state = extra.get(STATE);
                if (state == null) {
                    throw new IOException(extra.containsKey(OLD_STATE) ? p + " was written by an earlier recurrent4j "
                            + "(a Java-serialized training state, which is no longer read)" : p + " has no training "
                            + "state");
                }
                TrainingState st = TrainingState.read(state, extra.get(BEST_PARAMS), p.toString(), batches,
                        t.network().numParams());
                return new Loaded(p, t, st, skipped);
            } catch (IOException | RuntimeException e) {
                skipped.add(p.getFileName() + " (" + e.getMessage() + ")");
            }
        }
        if (!skipped.isEmpty()) {
            throw new NoValidCheckpointException("no checkpoint in " + dir + " can be resumed from: " + skipped
                    + ". Start training afresh: without --resume, or with --fresh-if-invalid (the checkpoints stay)");
        }
        return null;
    }

    /** Thrown by {@link #newest} where checkpoints exist and none is valid. */
    public static final class NoValidCheckpointException extends IOException {
        NoValidCheckpointException(String message) {
            super(message);
        }
    }
}
