#!/usr/bin/env bash
# Full-size run of the transformer benchmark: the real 48-block LTX-2.3 audio transformer (random bf16
# weights) for the training step, and a real-size synthetic unified checkpoint (48-block audio path plus
# ~20 GiB of dummy video weights) for the loading measurement. Needs ~14 GB of RAM, ~27 GB of free space
# in $TMPDIR, and on a 2-core CPU tens of minutes. Results: bench/results/transformer-full.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release bench/Transformer
dotnet bench/Transformer/bin/Release/net10.0/LtxTrainer.Bench.Transformer.dll \
  --depths 24,48 --steps 1 --checkpoint-depth 48 --video-gb 20 --out bench/results/transformer-full.json "$@"
