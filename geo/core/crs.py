"""Coordinate reference systems: WGS84 on disk, metric and equal-area CRSs for measuring."""

from __future__ import annotations

#: Everything on disk and on the web map.
WGS84 = "EPSG:4326"
#: Distances and buffers: UTM zone 52N (Jilin City lies at 125.7–127.9°E; scale error < 0.1 %).
METRIC = "EPSG:32652"
#: Areas and densities: Lambert azimuthal equal-area centred on Jilin City.
EQUAL_AREA = "+proj=laea +lat_0=43.6 +lon_0=126.7 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"

#: Generous extent of the city and its surroundings (lon/lat), for sanity checks.
CITY_BBOX = (125.3, 42.3, 128.3, 45.0)
#: Wider extent allowed for lines that leave the city (toward Changchun, Longjia airport, Yanji, Meihekou).
REGION_BBOX = (124.5, 41.5, 130.5, 45.5)
