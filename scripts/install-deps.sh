#!/bin/sh
# Installs the Debian packages handout needs to build, run its demo and run its tests.
# Uses apt-get (through sudo when not root); does nothing when all are present.
set -eu
PACKAGES="build-essential pkg-config libhpdf-dev libxml2-dev libpng-dev zlib1g-dev check file librsvg2-bin time bc \
poppler-utils qpdf diction libjansson-dev libyajl-dev nettle-dev libcsv-dev libdeflate-dev tmux \
clang-format icc-profiles-free"
# icc-profiles-free: templates/sRGB.icc is its sRGB.icc; a test proves it still is.
# Node.js and npm: `make check` installs FHIR validators from npm with them (tests only). A
# Node.js that brings its own npm (NodeSource's) will do.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"
# `install-deps.sh fuzz`: clang and its libFuzzer runtime as well, for `make fuzz`.
[ "${1:-}" = fuzz ] && PACKAGES="$PACKAGES clang libclang-rt-14-dev"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "handout: installing Debian packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
