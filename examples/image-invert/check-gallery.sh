#!/usr/bin/env bash
# Checks the image-invert gallery in headless Chromium, by hand, the way GalleryBrowserIT does in
# the build: installs Chromium from Debian when missing (needs root or sudo), builds the example,
# runs it over images/ with --serve, and asserts that the served page and the local file show
# every pair with every image loaded. Leaves screenshots at a phone's and a wide screen's size in
# examples/image-invert/target/.
#
#   examples/image-invert/check-gallery.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium
fi
[ -f examples/image-invert/target/image-invert.jar ] \
  || ./mvnw -B -q -pl examples/image-invert -am package -DskipTests

work=$(mktemp -d)
java -jar examples/image-invert/target/image-invert.jar --output "$work/inverted" --serve \
  >"$work/demo.log" 2>&1 &
demo=$!
trap 'kill $demo 2>/dev/null || true; rm -rf "$work"' EXIT
url=""
for _ in $(seq 1 180); do
  url=$(grep -o 'gallery served at [^ ]*' "$work/demo.log" | cut -d' ' -f4 || true)
  [ -n "$url" ] && break
  kill -0 $demo 2>/dev/null || { cat "$work/demo.log"; echo "the demo exited" >&2; exit 1; }
  sleep 1
done
[ -n "$url" ] || { cat "$work/demo.log"; echo "no served gallery after 180 s" >&2; exit 1; }
pairs=$(ls "$work/inverted" | grep -c -- '-inverted\.' || true)

chrome() {
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$work")" "$@" 2>/dev/null
}
for page in "$url" "file://$work/inverted/index.html"; do
  loaded=$(chrome --virtual-time-budget=15000 --dump-dom "$page" | grep -o 'data-loaded="[0-9]*/[0-9]*"')
  if [ "$loaded" != "data-loaded=\"$((2 * pairs))/$((2 * pairs))\"" ]; then
    echo "FAIL $page: $loaded, expected $pairs pairs all loaded" >&2
    exit 1
  fi
  echo "ok   $page: $pairs pairs, $loaded"
done
for size in 390x844 1400x900; do # a phone and a wide screen
  chrome --window-size="${size/x/,}" --hide-scrollbars \
    --screenshot="$PWD/examples/image-invert/target/gallery-$size.png" "$url" >/dev/null
  echo "screenshot: examples/image-invert/target/gallery-$size.png"
done
