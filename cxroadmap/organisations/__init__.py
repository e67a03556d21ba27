"""The organisation: its name, settings and logo, and the scoping every table of its data uses."""


def load(area) -> None:
    """Nothing of its own to register: every area's data hangs off the organisation."""
