#!/usr/bin/env bash
# Installs the real recorded audio the dataset tests build their archives from (idempotent).
#  - npm package supersonic-scsynth-samples (CC0 FLAC recordings, 44.1 kHz) into <repo>/.testdata/
#  - Debian's hydrogen-data drum samples are used in place (/usr/share/hydrogen/data/drumkits)
# ffmpeg is needed to convert them into every supported format.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="$repo/.testdata"
version="${SUPERSONIC_SAMPLES_VERSION:-0.84.2}"
mkdir -p "$dest"
if [ ! -d "$dest/node_modules/supersonic-scsynth-samples" ]; then
  (cd "$dest" && npm install --no-save --no-audit --no-fund --silent "supersonic-scsynth-samples@$version")
fi
if [ ! -d /usr/share/hydrogen/data/drumkits ] || ! command -v ffmpeg >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq hydrogen-data ffmpeg
  else
    echo "Install the Debian packages hydrogen-data and ffmpeg (sudo apt-get install hydrogen-data ffmpeg)." >&2
    exit 1
  fi
fi
echo "test audio ready in $dest"
