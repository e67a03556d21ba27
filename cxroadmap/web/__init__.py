"""What every page shares, by what it does: `urls` (the organisation of /o/<slug>/ pages, path converters, query
values), `forms` (submitting through a service, errors beside their fields), `transactions` (the one commit point
of a request), `errors` (error pages, the one not-found), `responses` (generated files, money) and `page_parts`
(kept page bodies, the bar and its menus). The names the areas use are offered here too."""

from cxroadmap.web.errors import error_page, not_in_organisation, render_error
from cxroadmap.web.forms import (
    refused_form,
    render_form,
    saved,
    show_errors,
    submit,
    submit_and_tell,
    submit_or_keep,
)
from cxroadmap.web.page_parts import (
    MENUS,
    MenuEntry,
    PagePanel,
    account_menu,
    cached_fragment,
    cached_head,
    menus,
    navigation,
    page_with_cached_body,
    panels,
)
from cxroadmap.web.responses import file_response, money, pdf_response, svg_response
from cxroadmap.web.transactions import after_commit, finish_request, keep_changes, reads_upload, start_writing
from cxroadmap.web.urls import (
    CHART_TEXT,
    chart_width,
    organisation_blueprint,
    page_number,
    query_day,
    query_int,
    read_organisations_with,
    refuse_control_characters,
    register_converters,
)

__all__ = [
    "CHART_TEXT", "MENUS", "MenuEntry", "PagePanel", "account_menu", "after_commit", "chart_width",
    "error_page", "file_response",
    "finish_request", "keep_changes", "cached_fragment", "cached_head", "menus", "money", "navigation",
    "not_in_organisation", "page_with_cached_body", "panels",
    "organisation_blueprint", "page_number", "pdf_response", "query_day", "query_int", "read_organisations_with",
    "reads_upload", "refuse_control_characters", "refused_form", "register_converters", "render_error",
    "render_form", "saved", "show_errors", "start_writing", "submit", "submit_and_tell", "submit_or_keep",
    "svg_response",
]
