"""Inventory service: a small FastAPI application (``from app.api import app``)."""
