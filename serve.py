"""Serve the atlas with its warm-up: ``streamlit run serve.py`` (scripts/app.sh) runs app.py for every session, and
from its start imports the libraries and caches the default view in the background (``ui/warm.py``)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st

from ui import warm

warm.start()  # at import: the imports start before the server does


@asynccontextmanager
async def lifespan(_app):
    warm.start()
    yield


app = st.App(str(Path(__file__).resolve().parent / "app.py"), lifespan=lifespan)
