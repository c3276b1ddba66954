"""Opinion maps (Pol.is-style): pure Python/NumPy, no Django."""
