"""Demo data for this app, called once by comuna.demo.load_demo with the demo spheres by slug."""

from __future__ import annotations


def load_demo(spheres: dict) -> None:
    return None
