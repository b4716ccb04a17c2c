"""Notes: a small JSON API written with plain Django views."""
