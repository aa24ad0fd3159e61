#!/usr/bin/env bash
# Tagging and training speed of recurrent4j's tagger against its PyTorch peer (tools/torch_tagger_bench.py, the
# same BiLSTM-CNN-CRF), side by side on this machine, in alternating rounds.
#   tools/tagger_vs_torch.sh DATA.conll MODEL.zip [ROUNDS]
# DATA: a CoNLL file (the Brown test split from `data brown`); MODEL: a tagger trained with the defaults on it.
# PyTorch runs at 1 and 2 threads, each with OpenBLAS's own kernel choice and with OPENBLAS_CORETYPE=SkylakeX
# (Debian's OpenBLAS may not know a new CPU); the fastest setting is the one to compare with.
set -euo pipefail
data=$1; model=$2; rounds=${3:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$here/examples/target/recurrent4j.jar
peer="/usr/bin/python3 $here/tools/torch_tagger_bench.py --data $data"
echo "# $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
for r in $(seq "$rounds"); do
  echo "## round $r"
  java -jar "$jar" evaluate --model "$model" --data "$data" --speed 3 | grep "tagging pass" | sed 's/^/recurrent4j tag: /'
  for t in 1 2; do
    $peer --mode tag --threads $t --passes 3 | grep "^pass" | sed "s/^/pytorch tag threads $t: /"
    OPENBLAS_CORETYPE=SkylakeX $peer --mode tag --threads $t --passes 3 | grep "^pass" \
      | sed "s/^/pytorch tag threads $t SkylakeX: /"
  done
  for t in 1 2; do
    $peer --mode train --threads $t --passes 2 | grep "^pass" | sed "s/^/pytorch train threads $t: /"
    OPENBLAS_CORETYPE=SkylakeX $peer --mode train --threads $t --passes 2 | grep "^pass" \
      | sed "s/^/pytorch train threads $t SkylakeX: /"
  done
done
