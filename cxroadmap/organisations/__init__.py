"""The organisation: its name, settings and logo, and the scoping every table of its data uses."""


def load(area) -> None:
    """Every area's data hangs off the organisation; its settings form offers the time zones this machine knows."""
    from cxroadmap.organisations.services import time_zones

    area.template_values(time_zone_names=lambda: sorted(time_zones()))
