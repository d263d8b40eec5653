"""The planning layers on the base map: counties, water, boards, spatial layout, featured towns, transport."""

from __future__ import annotations

from typing import Any

import folium

from geo.core.i18n import t
from geo.render.options import MapOptions, _name, _shift, _tip_collection
from geo.render.style import BOARD_COLORS, MODE_STYLE, esc, line_style

AIRPORT_PANE = "atlas-airports"


def add_counties(
    fmap: folium.Map, counties_fc: dict[str, Any], options: MapOptions, counts: dict[str, int] | None
) -> None:
    lang = options.lang
    top = max(counts.values()) if counts else 0
    if options.choropleth and counts:  # 0.1 s of import that a map without the choropleth never pays
        import matplotlib  # noqa: PLC0415

        cmap = matplotlib.colormaps["YlOrRd"]

    def fill(props: dict[str, Any]) -> str:
        if not options.choropleth or not counts:
            return "#ffffff" if options.basemap == "none" else "#000000"
        n = counts.get(str(props.get("adcode")), 0)
        return matplotlib.colors.to_hex(cmap(0.15 + 0.85 * n / top)) if top else "#ffffff"

    def tip(props: dict[str, Any]) -> str:
        name = esc(_name(props, lang))
        parts = [f"<b>{name}</b>"]
        if counts is not None:
            parts.append(esc(t("map.projects_in_county", lang, n=counts.get(str(props.get("adcode")), 0))))
        if props.get("position"):
            parts.append(esc(t("map.position", lang) + props["position"]))
        return "<br>".join(parts)

    data = _tip_collection(_shift(counties_fc, options), tip)
    opacity = 0.75 if options.choropleth else (0.9 if options.basemap == "none" else 0.0)
    layer = folium.GeoJson(
        data,
        name=t("layer.counties", lang),
        style_function=lambda f: {
            "fillColor": fill(f["properties"]),
            "color": "#555555",
            "weight": 1.2,
            "fillOpacity": opacity,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#1f6f8b"},
        tooltip=folium.GeoJsonTooltip(fields=["_tip"], labels=False, sticky=True),
        smooth_factor=0.5,
    )
    layer.add_to(fmap)


def add_water(fmap: folium.Map, water: dict[str, Any] | None, options: MapOptions) -> None:
    if not water:
        return
    folium.GeoJson(
        _shift(water, options),
        name=t("layer.water", options.lang),
        style_function=lambda f: {"color": "#6fa8dc", "weight": 1.5, "fillColor": "#9fc5e8", "fillOpacity": 0.8},
        control=False,
        interactive=False,
    ).add_to(fmap)


def add_boards(fmap: folium.Map, boards_fc: dict[str, Any], options: MapOptions) -> None:
    lang = options.lang

    def tip(props: dict[str, Any]) -> str:
        title = props["en"] if lang == "en" else props["zh"]
        members = "、".join(m["member"] for m in props["members"])
        return f"<b>{esc(title)}</b><br>{esc(t('map.members', lang))}{esc(members)}<br><i>{esc(t('map.schematic', lang))}</i>"

    data = _tip_collection(_shift(boards_fc, options), tip)
    folium.GeoJson(
        data,
        name=t("layer.boards", lang),
        style_function=lambda f: {
            "color": BOARD_COLORS.get(f["properties"]["board"], "#333333"),
            "weight": 2.5,
            "dashArray": "6 4",
            "fillColor": BOARD_COLORS.get(f["properties"]["board"], "#333333"),
            "fillOpacity": 0.06,
        },
        tooltip=folium.GeoJsonTooltip(fields=["_tip"], labels=False, sticky=True),
    ).add_to(fmap)


def _point_layer(fmap, fc, options, name, color, tip, radius=6, dash=None) -> None:
    group = folium.FeatureGroup(name=name)
    for f in _shift(fc, options)["features"]:
        geom = f["geometry"]
        if geom is None:
            continue
        text = tip(f["properties"])
        if geom["type"] == "Point":
            lon, lat = geom["coordinates"]
            folium.CircleMarker(
                (lat, lon),
                radius=radius,
                color=color,
                weight=2,
                fill=True,
                fill_opacity=0.25,
                dash_array=dash,
                tooltip=folium.Tooltip(text, sticky=True),
            ).add_to(group)
        elif geom["type"] == "GeometryCollection":  # a belt: schematic line + corridor
            for part in geom["geometries"]:
                folium.GeoJson(
                    part,
                    style_function=lambda _f, c=color, kind=part["type"]: {
                        "color": c,
                        "weight": 3 if kind == "LineString" else 0.5,
                        "dashArray": "10 6",
                        "fillColor": c,
                        "fillOpacity": 0.08,
                    },
                    tooltip=folium.Tooltip(text, sticky=True),
                ).add_to(group)
    group.add_to(fmap)


def add_layout(fmap: folium.Map, layout_fc: dict[str, Any], options: MapOptions) -> None:
    lang = options.lang

    def tip(props: dict[str, Any]) -> str:
        group = props.get("group_en") if lang == "en" else props.get("group")
        return (
            f"<b>{esc(_name(props, lang))}</b><br>{esc(group)} · {esc(t('precision.' + str(props['precision']), lang))}"
            + (f"<br><i>{esc(props['location_note'])}</i>" if props.get("location_note") else "")
        )

    _point_layer(fmap, layout_fc, options, t("layer.layout", lang), "#2b8cbe", tip, radius=8, dash="4 3")


def add_towns(fmap: folium.Map, towns_fc: dict[str, Any], options: MapOptions) -> None:
    lang = options.lang

    def tip(props: dict[str, Any]) -> str:
        cls = props.get("class_en") if lang == "en" else props.get("class")
        return f"<b>{esc(_name(props, lang))}</b><br>{esc(t('layer.towns', lang))} · {esc(cls)}"

    _point_layer(fmap, towns_fc, options, t("layer.towns", lang), "#d95f0e", tip, radius=6)


def add_transport(fmap: folium.Map, transport_fc: dict[str, Any], options: MapOptions) -> None:
    lang = options.lang
    group = folium.FeatureGroup(name=t("layer.transport", lang))
    # airports sit in a pane under the markers' own, without pointer events, so what is under or over one takes the click
    folium.map.CustomPane(AIRPORT_PANE, z_index=580, pointer_events=False).add_to(fmap)
    for f in _shift(transport_fc, options)["features"]:
        geom, p = f["geometry"], f["properties"]
        if geom is None:
            continue
        stated = f"{p['stated_km']:g} km" if p.get("stated_km") else "—"
        drawn = f"{p['drawn_km']:g} km" if p.get("drawn_km") is not None else "—"
        text = (
            f"<b>{esc(_name(p, lang))}</b><br>{esc(t('mode.' + p['mode'], lang))} · {esc(t('status.' + p['status'], lang))}"
            f"<br>{esc(t('map.stated_drawn', lang, stated=stated, drawn=drawn))}"
            + (f"<br><i>{esc(t('map.schematic_line', lang))}</i>" if p.get("schematic") else "")
        )
        if geom["type"] == "Point":
            lon, lat = geom["coordinates"]
            # the icon is a picture only (not interactive, in a pane without pointer events): a click or hover
            # goes to what is under it; its tooltip sits on an invisible circle of the same size on the canvas,
            # under any project point drawn there later
            folium.Marker(
                (lat, lon),
                icon=folium.DivIcon(
                    html=f'<div class="atlas-airport" style="background:{MODE_STYLE["airport"][0]}">✈</div>',
                    icon_size=(28, 28),
                    icon_anchor=(14, 14),
                ),
                interactive=False,
                keyboard=False,
                pane=AIRPORT_PANE,
            ).add_to(group)
            folium.CircleMarker(
                (lat, lon),
                radius=14,
                stroke=False,
                fill=True,
                fill_opacity=0,
                tooltip=folium.Tooltip(text, sticky=True),
            ).add_to(group)
        else:
            color, dash = line_style(p["mode"])
            folium.GeoJson(
                geom,
                style_function=lambda _f, c=color, d=dash: {
                    "color": c,
                    "weight": 3,
                    "dashArray": d or None,
                    "opacity": 0.85,
                },
                tooltip=folium.Tooltip(text, sticky=True),
            ).add_to(group)
    group.add_to(fmap)


# --------------------------------------------------------------------------- projects
