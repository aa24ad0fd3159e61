#!/usr/bin/env node
/*
 * Builds small recurrent models with TensorFlow.js (tfjs-layers, the pure-JS CPU backend) and captures, for each, what
 * tfjs itself writes and computes, for tools/tfjs_to_keras_h5.py to turn into Keras 2 .h5 fixtures.
 *
 * Why: TensorFlow/Keras cannot be installed where recurrent4j is built, so tools/make_keras_fixtures.py writes Keras'
 * layouts by hand and computes the expected outputs with Keras' equations in NumPy. tfjs-layers is an independent
 * implementation of Keras' layers: it serializes a model in Keras' own JSON (class_name/config, snake_case keys, every
 * training option: initializers, regularizers, constraints, dropout, unroll, implementation) and predicts with its own
 * LSTM/GRU/SimpleRNN/Bidirectional/masking code. Its topology and its predictions are therefore a check that does not
 * come from the same hands as the importer or the NumPy fixtures.
 *
 * Run (Node 18+; @tensorflow/tfjs 4.x from npm, pure JS - no tfjs-node, whose native binaries are not needed):
 *     mkdir -p /tmp/tfjs && (cd /tmp/tfjs && npm install @tensorflow/tfjs@4)
 *     NODE_PATH=/tmp/tfjs/node_modules node tools/make_tfjs_keras_fixtures.js /tmp/tfjs/captures
 *     /usr/bin/python3 tools/tfjs_to_keras_h5.py /tmp/tfjs/captures
 *
 * For each model NAME it writes OUTDIR/NAME.json:
 *   tfjs_version    tf.version.tfjs (and tfjs_layers_version)
 *   model_topology  the topology exactly as tfjs saves it (model.save(...) -> artifacts.modelTopology, i.e.
 *                   model.toJSON(null, false): {"class_name": "Sequential", "config": ..., "keras_version":
 *                   "tfjs-layers x.y.z", "backend": "tensor_flow.js"})
 *   weight_specs    artifacts.weightSpecs, unchanged (names, shapes, dtypes, in tfjs' order)
 *   weights         the float32 values of each weight, in weight_specs' order, decoded from artifacts.weightData
 *   x, mask, y      the input (token ids [B, T] as float32, or features [B, T, F]), the padding mask [B, T] (1 real,
 *                   0 padding; null where the model derives none), and tfjs' model.predict(x); each {shape, values}
 *                   with values flattened row-major.
 *   keras_differs   null, or where tfjs' output is known to differ from Keras' (then tfjs_to_keras_h5.py adds Keras'
 *                   output and names the model .hdf5, out of KerasImporterTest's *.h5 sweep)
 * Weights and inputs come from a seeded generator (weights uniform in [-0.7, 0.7]): a rerun captures the same values.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const OUT = process.argv[2] || path.join(process.cwd(), 'captures');
const B = 3, T = 5, F = 4;
// rows 1 and 2 end in padding
const PADDED = [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0]];

// --------------------------------------------------------------------------------------- a seeded generator
let seed = 20261202;
function uniform(lo, hi) {   // mulberry32
  seed = (seed + 0x6D2B79F5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  return lo + (hi - lo) * u;
}

function randomArray(n, lo, hi) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = uniform(lo, hi);
  }
  return a;
}

/** Features [B, T, F]; steps where PADDED is 0 set to `value` (the Masking value) when `padded`. */
function features(padded, value) {
  const a = randomArray(B * T * F, -1.5, 1.5);
  if (padded) {
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        if (PADDED[b][t] === 0) {
          a.fill(value, (b * T + t) * F, (b * T + t + 1) * F);
        }
      }
    }
  }
  return tf.tensor3d(a, [B, T, F]);
}

/** Token ids [B, T] in 1..vocab-1, 0 where PADDED is 0. */
function tokenIds(vocab) {
  const a = new Float32Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      a[b * T + t] = PADDED[b][t] === 0 ? 0 : 1 + Math.floor(uniform(0, vocab - 1));
    }
  }
  return tf.tensor2d(a, [B, T]);
}

/** Every weight of the model set from the generator, in tfjs' order and shapes. */
function setWeights(model) {
  model.setWeights(model.getWeights().map(w => tf.tensor(randomArray(w.size, -0.7, 0.7), w.shape)));
}

// Training options a Keras user sets and a prediction ignores: the importer must accept them
const TRAINING = {
  kernelInitializer: 'glorotUniform',
  recurrentInitializer: 'orthogonal',
  biasInitializer: 'zeros',
  kernelRegularizer: tf.regularizers.l2({l2: 1e-4}),
  recurrentRegularizer: tf.regularizers.l1l2({l1: 1e-5, l2: 1e-4}),
  biasRegularizer: tf.regularizers.l1({l1: 1e-5}),
  kernelConstraint: tf.constraints.maxNorm({maxValue: 3}),
  recurrentConstraint: tf.constraints.unitNorm({axis: 0}),
  biasConstraint: tf.constraints.nonNeg(),
  dropout: 0.2,
  recurrentDropout: 0.1,
};

// ------------------------------------------------------------------------------------------------- models
/** name -> () => {model, x, mask} */
const CASES = {
  // Embedding(mask_zero) -> GRU (reset_after=False, tfjs' only form), sequences, held masked steps -> Dense
  tfjs_embedding_mask_gru: () => {
    const m = tf.sequential({name: 'tfjs_embedding_mask_gru'});
    m.add(tf.layers.embedding({inputDim: 12, outputDim: F, maskZero: true, batchInputShape: [null, null],
      name: 'embedding'}));
    m.add(tf.layers.gru({units: 3, returnSequences: true, recurrentActivation: 'sigmoid', name: 'gru'}));
    m.add(tf.layers.dense({units: 2, name: 'dense'}));
    return {model: m, x: tokenIds(12), mask: PADDED};
  },
  // Masking -> LSTM, last step, with every training option set (regularizers, constraints, dropout,
  // implementation 2, unit_forget_bias) -> Dense sigmoid
  tfjs_masking_lstm_last: () => {
    const m = tf.sequential({name: 'tfjs_masking_lstm_last'});
    m.add(tf.layers.masking({maskValue: 0, inputShape: [T, F], name: 'masking'}));
    m.add(tf.layers.lstm(Object.assign({units: 3, recurrentActivation: 'sigmoid', unitForgetBias: true,
      implementation: 2, name: 'lstm'}, TRAINING)));
    m.add(tf.layers.dense({units: 2, activation: 'sigmoid', name: 'dense'}));
    return {model: m, x: features(true, 0), mask: PADDED};
  },
  // Masking(-1) -> GRU go_backwards, relu and tfjs' default recurrent activation (hard_sigmoid), sequences ->
  // LSTM linear without bias, last step
  tfjs_masking_gru_backwards: () => {
    const m = tf.sequential({name: 'tfjs_masking_gru_backwards'});
    m.add(tf.layers.masking({maskValue: -1, inputShape: [T, F], name: 'masking'}));
    m.add(tf.layers.gru({units: 3, returnSequences: true, goBackwards: true, activation: 'relu', name: 'reader'}));
    m.add(tf.layers.lstm({units: 2, activation: 'linear', useBias: false, name: 'summary'}));
    return {model: m, x: features(true, -1), mask: PADDED};
  },
  // SimpleRNN relu, last step, dropout options -> Dropout -> Dense softmax
  tfjs_simple_rnn_last: () => {
    const m = tf.sequential({name: 'tfjs_simple_rnn_last'});
    m.add(tf.layers.simpleRNN({units: 3, activation: 'relu', dropout: 0.1, recurrentDropout: 0.1,
      inputShape: [T, F], name: 'simple_rnn'}));
    m.add(tf.layers.dropout({rate: 0.3, name: 'dropout'}));
    m.add(tf.layers.dense({units: 2, activation: 'softmax', name: 'dense'}));
    return {model: m, x: features(false), mask: null};
  },
  // LSTM sequences (unroll=True, which tfjs accepts and ignores) -> TimeDistributed(Dense softmax), no mask
  tfjs_lstm_sequences: () => {
    const m = tf.sequential({name: 'tfjs_lstm_sequences'});
    m.add(tf.layers.lstm({units: 3, returnSequences: true, recurrentActivation: 'sigmoid', unroll: true,
      inputShape: [T, F], name: 'lstm'}));
    m.add(tf.layers.timeDistributed({layer: tf.layers.dense({units: 2, activation: 'softmax', name: 'dense'}),
      name: 'time_distributed'}));
    return {model: m, x: features(false), mask: null};
  },
  // Embedding(mask_zero) -> Bidirectional(LSTM, concat), sequences -> LSTM (masked, last step) -> Dense softmax.
  // The next masked layer skips the Bidirectional's padded steps, where tfjs and Keras differ (see below)
  tfjs_bidirectional_lstm_concat_stacked: () => {
    const m = tf.sequential({name: 'tfjs_bidirectional_lstm_concat_stacked'});
    m.add(tf.layers.embedding({inputDim: 9, outputDim: F, maskZero: true, inputLength: T, name: 'embedding'}));
    m.add(tf.layers.bidirectional({layer: tf.layers.lstm({units: 3, returnSequences: true,
      recurrentActivation: 'sigmoid', name: 'lstm'}), mergeMode: 'concat', name: 'bidirectional'}));
    m.add(tf.layers.lstm({units: 2, recurrentActivation: 'sigmoid', name: 'summary'}));
    m.add(tf.layers.dense({units: 2, activation: 'softmax', name: 'dense'}));
    return {model: m, x: tokenIds(9), mask: PADDED};
  },
  // Embedding(mask_zero) -> Bidirectional(GRU, concat), sequences -> TimeDistributed(Dense softmax), padded.
  // tfjs' Bidirectional outputs at a padded step what an RNN layer alone outputs there (the step before's output);
  // Keras' Bidirectional makes its layers return zeros there (zero_output_for_mask = return_sequences). The capture
  // says so (keras_differs); tools/tfjs_to_keras_h5.py adds Keras' output (y_keras) and names the model .hdf5
  tfjs_bidirectional_gru_concat_padded_sequences: () => {
    const m = tf.sequential({name: 'tfjs_bidirectional_gru_concat_padded_sequences'});
    m.add(tf.layers.embedding({inputDim: 9, outputDim: F, maskZero: true, inputLength: T, name: 'embedding'}));
    m.add(tf.layers.bidirectional({layer: tf.layers.gru({units: 3, returnSequences: true,
      recurrentActivation: 'sigmoid', name: 'gru'}), mergeMode: 'concat', name: 'bidirectional'}));
    m.add(tf.layers.timeDistributed({layer: tf.layers.dense({units: 2, activation: 'softmax', name: 'dense'}),
      name: 'time_distributed'}));
    return {model: m, x: tokenIds(9), mask: PADDED,
      keras_differs: 'at padded steps: tfjs Bidirectional(return_sequences) holds the previous output, Keras '
        + 'outputs zeros'};
  },
  // Embedding(mask_zero) -> Bidirectional(GRU, ave), last step -> Dense tanh
  tfjs_bidirectional_gru_ave_last: () => {
    const m = tf.sequential({name: 'tfjs_bidirectional_gru_ave_last'});
    m.add(tf.layers.embedding({inputDim: 9, outputDim: F, maskZero: true, batchInputShape: [null, null],
      name: 'embedding'}));
    m.add(tf.layers.bidirectional({layer: tf.layers.gru({units: 3, recurrentActivation: 'sigmoid', name: 'gru'}),
      mergeMode: 'ave', name: 'bidirectional'}));
    m.add(tf.layers.dense({units: 2, activation: 'tanh', name: 'dense'}));
    return {model: m, x: tokenIds(9), mask: PADDED};
  },
  // Masking -> Bidirectional(SimpleRNN, sum), sequences -> Dense, on a batch without padding (the mask all ones):
  // with padding tfjs' Bidirectional(return_sequences) differs from Keras' at the padded steps (above)
  tfjs_bidirectional_simplernn_sum_sequences: () => {
    const m = tf.sequential({name: 'tfjs_bidirectional_simplernn_sum_sequences'});
    m.add(tf.layers.masking({maskValue: 0, inputShape: [T, F], name: 'masking'}));
    m.add(tf.layers.bidirectional({layer: tf.layers.simpleRNN({units: 3, returnSequences: true, name: 'simple_rnn'}),
      mergeMode: 'sum', name: 'bidirectional'}));
    m.add(tf.layers.dense({units: 2, name: 'dense'}));
    return {model: m, x: features(false), mask: PADDED.map(r => r.map(() => 1))};
  },
};

function tensorJson(t) {
  return {shape: t.shape, values: Array.from(t.dataSync())};
}

async function capture(name, build) {
  const {model, x, mask, keras_differs} = build();
  setWeights(model);
  const y = model.predict(x);
  let artifacts;
  await model.save(tf.io.withSaveHandler(async a => {
    artifacts = a;
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  }));
  // weightData: the float32 values of weightSpecs one after another (tfjs 4 may give an array of buffers)
  const data = Array.isArray(artifacts.weightData) ? Buffer.concat(artifacts.weightData.map(b => Buffer.from(b)))
    : Buffer.from(artifacts.weightData);
  const all = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const weights = [];
  let at = 0;
  for (const spec of artifacts.weightSpecs) {
    if (spec.dtype !== 'float32' || spec.quantization) {
      throw new Error(`${name}: weight ${spec.name} is ${spec.dtype}${spec.quantization ? ' quantized' : ''}`);
    }
    const n = spec.shape.reduce((p, d) => p * d, 1);
    weights.push(Array.from(all.subarray(at, at + n)));
    at += n;
  }
  if (at !== all.length) {
    throw new Error(`${name}: weightData holds ${all.length} values, weightSpecs ${at}`);
  }
  const out = {
    name,
    tfjs_version: tf.version.tfjs,
    tfjs_layers_version: tf.version['tfjs-layers'],
    model_topology: artifacts.modelTopology,
    weight_specs: artifacts.weightSpecs,
    weights,
    x: tensorJson(x),
    mask: mask === null ? null : {shape: [B, T], values: mask.flat()},
    y: tensorJson(y),
    keras_differs: keras_differs || null,
  };
  fs.writeFileSync(path.join(OUT, name + '.json'), JSON.stringify(out));
  console.log(`${name}: x [${x.shape}] -> y [${y.shape}], ${weights.length} weight arrays`);
}

async function main() {
  await tf.setBackend('cpu');
  fs.mkdirSync(OUT, {recursive: true});
  for (const [name, build] of Object.entries(CASES)) {
    await capture(name, build);
  }
  console.log(`tfjs ${tf.version.tfjs} (backend ${tf.getBackend()}): wrote ${OUT}`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
