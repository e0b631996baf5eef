"""A page with the border map and a second, unrelated slider (for the browser tests): the map
must neither follow nor disturb another slider on its page."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from dashboard import mapdata
from dashboard.timemap import report, timemap
from geo import render
from geo.catalog import load_catalog


@st.cache_resource
def map_parts() -> dict:
    pack = load_catalog(Path(os.environ["TREATY_MAP_TREATIES"])).pack("russia-iran")
    mapdata.install_leaflet()
    m = render.base_map(pack, mapdata.APP_ASSETS, data_url=mapdata.publish(pack))
    return render.figure_parts(m)


st.slider("Unrelated number", 0, 10, 3, key="other")
timemap(map_parts(), {"id": 1, "day": 693960}, height=500, key="map")  # 1900-12-31
shown = report(st.session_state.get("map"))
st.markdown(f"Reported day: {shown.day if shown else 'none'}")
st.markdown(f"Other slider: {st.session_state['other']}")
