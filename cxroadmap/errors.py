"""The refusals services raise: a request the domain refuses (`DomainError`, turned into errors beside form fields,
problem+json or one CLI line a problem) and the one not-found (`NotInOrganisation`). Checking values is
`cxroadmap.validation`'s."""


class DomainError(Exception):
    """A request the domain refuses; `errors` maps a field name (or "" for the whole) to a message."""

    def __init__(self, errors: dict[str, str] | str):
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in self.errors.items()))


class NotInOrganisation(DomainError):
    """Not found: what was asked for does not exist in this organisation (another organisation's object, an
    unknown chart or report kind, a file not made yet). The one way to say so: pages answer 404, the API 404
    problem+json."""

    def __init__(self, errors: dict[str, str] | str = "Not found."):
        super().__init__(errors)
