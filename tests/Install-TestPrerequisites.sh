#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, and does nothing when it is all there already:
#   - audio tools (ffmpeg, sox, flac, lame, vorbis-tools) and drum-kit one-shots (hydrogen-data),
#     from apt when running as root on Debian/Ubuntu;
#   - real recorded test audio (npm package supersonic-scsynth-samples, CC0) into .testdata/.
# build.ps1 Test runs it when .testdata/.installed is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
testdata="$root/.testdata"
marker="$testdata/.installed"
samples_package="supersonic-scsynth-samples@0.84.2"
apt_packages=(ffmpeg sox flac lame vorbis-tools hydrogen-data)

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

missing=()
for tool in ffmpeg sox flac lame oggenc; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -d /usr/share/hydrogen/data/drumkits ] || missing+=("hydrogen-data")
needs_npm=0
[ -f "$marker" ] || { command -v npm >/dev/null 2>&1 || needs_npm=1; }

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
echo "Test prerequisites are installed."
