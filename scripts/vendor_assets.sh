#!/usr/bin/env bash
# Re-create static/vendor/ from the npm registry (Leaflet, Leaflet.markercluster, jQuery, leaflet.fullscreen, with
# their licences).
# The files are committed; run this only to upgrade them. Needs npm.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() {  # package version
  (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf "$1-$2.tgz" -C "$1")
}
fetch leaflet 1.9.3
fetch leaflet.markercluster 1.5.3
fetch jquery 3.7.1
fetch leaflet.fullscreen 3.0.0
rm -rf static/vendor && mkdir -p static/vendor/leaflet static/vendor/markercluster static/vendor/jquery static/vendor/fullscreen
cp "$tmp/leaflet/package/dist/leaflet.js" "$tmp/leaflet/package/dist/leaflet.css" static/vendor/leaflet/
cp -r "$tmp/leaflet/package/dist/images" static/vendor/leaflet/
cp "$tmp/leaflet/package/LICENSE" static/vendor/leaflet/LICENSE
cp "$tmp/leaflet.markercluster/package/dist/leaflet.markercluster.js" \
   "$tmp/leaflet.markercluster/package/dist/MarkerCluster.css" \
   "$tmp/leaflet.markercluster/package/dist/MarkerCluster.Default.css" static/vendor/markercluster/
cp "$tmp/leaflet.markercluster/package/MIT-LICENCE.txt" static/vendor/markercluster/LICENSE
cp "$tmp/jquery/package/dist/jquery.min.js" static/vendor/jquery/
cp "$tmp/jquery/package/LICENSE.txt" static/vendor/jquery/LICENSE
cp "$tmp/leaflet.fullscreen/package/Control.FullScreen.js" "$tmp/leaflet.fullscreen/package/Control.FullScreen.css" \
   "$tmp/leaflet.fullscreen/package/icon-fullscreen.svg" "$tmp/leaflet.fullscreen/package/LICENSE" static/vendor/fullscreen/
echo "vendored into static/vendor/"
