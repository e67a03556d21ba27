"""The short message a customer may get when their follow-up case is resolved: the organisation's template per
language, with placeholders ({name}, {touchpoint}, {organisation}, {case}) filled in. Only plain placeholders are
read: no attribute, index, conversion or format in braces, so a template can never reach into the program."""

from string import Formatter

from cxroadmap.i18n import _

PLACEHOLDERS = ("name", "touchpoint", "organisation", "case")
MESSAGE_LENGTH = 2000
DEFAULT_MESSAGES = {
    "en": "Dear {name},\n\nThank you for telling us what went wrong at {touchpoint}. We looked into it and have "
          "put it right.\n\nKind regards,\n{organisation}",
    "nl": "Beste {name},\n\nDank u dat u ons liet weten wat er misging bij {touchpoint}. We zijn ermee aan de slag "
          "gegaan en hebben het opgelost.\n\nMet vriendelijke groet,\n{organisation}",
}


def template_problem(text: str) -> str | None:
    """What is wrong with a template ('' and None: nothing): braces that do not pair, an unknown placeholder, or
    anything in braces besides a placeholder's name."""
    if len(text) > MESSAGE_LENGTH:
        return _("At most %(count)s characters.", count=MESSAGE_LENGTH)
    try:
        parts = list(Formatter().parse(text))
    except ValueError:
        return _("A brace without its partner: placeholders are written {name}; write {{ or }} for a brace itself.")
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    for _literal, field, spec, conversion in parts:
        if field is not None and (field not in PLACEHOLDERS or spec or conversion):
            return _("Unknown placeholder {%(field)s}: use %(known)s.", field=field, known=known)
    return None


def filled(text: str, values: dict[str, str]) -> str:
    """The template with each placeholder replaced by its value, taken literally (a value's braces stay braces)."""
    return "".join(literal + (values[field] if field is not None else "")
                   for literal, field, _spec, _conversion in Formatter().parse(text))
