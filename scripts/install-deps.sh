#!/usr/bin/env bash
# Installs what Clawtower needs on Debian/Ubuntu, only what is missing.
#
#   scripts/install-deps.sh build   # to build and run the app (webkit, appindicator, …)
#   scripts/install-deps.sh test    # also the end-to-end tools (Xvfb, WebKitWebDriver, Chromium + chromedriver, python3-venv, GNOME Keyring)
#
# Uses apt-get as root, or sudo when it works without a password; otherwise prints the exact
# command to run and exits 1.
set -euo pipefail

build_pkgs=(pkg-config build-essential file libwebkit2gtk-4.1-dev libxdo-dev libssl-dev
            libayatana-appindicator3-dev librsvg2-dev)
test_pkgs=(webkit2gtk-driver xvfb xauth dbus dbus-daemon python3-venv zstd sqlite3 chromium chromium-driver curl
           gnome-keyring)

case "${1:-build}" in
  build) wanted=("${build_pkgs[@]}") ;;
  test) wanted=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "install-deps: this is not a Debian-like system; install the equivalents of: ${missing[*]}" >&2
  exit 1
fi
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "install-deps: these Debian packages are missing: ${missing[*]}" >&2
  echo "install-deps: run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
