"""The demo organisation's surveys: a relationship NPS and a CES at its moment of truth, with a year of answers."""


def seed_surveys(organisation, today) -> None:
    return None
