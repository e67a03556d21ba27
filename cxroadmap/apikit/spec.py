"""API operations declared once: the route, who may call it, its schemas; the OpenAPI 3.1 document from them.

An area declares its operations in its own `api` module on an `ApiOperations` (named `bp` there, as it would
name a blueprint) and adds that as its contribution; the api area routes every contributed operation under one
blueprint and describes them all in one document. Nothing here knows an area."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from flask import Response, g, request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from cxroadmap.access import Act, public
from cxroadmap.accounts.tokens import may, role_through
from cxroadmap.apikit import schemas
from cxroadmap.apikit.problems import PROBLEM, ApiProblem
from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import organisation_by_slug

PREFIX = "/api/v1"
SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"
REF = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
KEY = r"^[a-z0-9][a-z0-9-]{0,63}$"  # a touchpoint's key
LARGEST_ID = 2**31 - 1
WRITING = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class Operation:
    method: str
    rule: str
    endpoint: str
    summary: str
    tag: str
    role: str | None  # the organisation role needed; None for operations outside organisations
    response: type[BaseModel] | None
    status: int
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    media: str | None  # a file's media type, for downloads
    versioned: bool  # takes If-Match, answers with an ETag
    description: str = ""
    headers: list[str] = field(default_factory=list)
    view: Callable | None = field(default=None, repr=False, compare=False)  # what the route calls


class ApiOperations:
    """One area's API operations, in the order it declared them: the contribution the area adds to the registry
    (`area.add(api.bp)`), from which the api area builds its blueprint and its OpenAPI document."""

    def __init__(self) -> None:
        self.operations: list[Operation] = []


def operation(bp: ApiOperations, method: str, rule: str, *, summary: str, tag: str, role: "str | Act | None" = "viewer",
              response: type[BaseModel] | None = None, status: int = 200, query: type[BaseModel] | None = None,
              body: type[BaseModel] | None = None, media: str | None = None, versioned: bool = False,
              headers: list[str] | None = None):
    """Route an API view and declare it: the view gets the organisation, the parsed query and body.

    It returns (model, headers) or a Response; refusals it raises become problem documents. `role` is the act
    the operation does (its role is checked before the view; a rule about the object, by the view with
    `access.require`, as the pages do) or, for reading, the role it needs.
    """
    role = role.role if isinstance(role, Act) else role

    def register(view: Callable):
        op = Operation(method, rule, view.__name__, summary, tag, role, response, status, query, body, media,
                       versioned, (view.__doc__ or "").strip(), headers or [])
        bp.operations.append(op)

        @wraps(view)
        def run(**values):
            arguments = _arguments(op, values)
            try:
                result = view(**arguments)
                db.session.flush()  # the database's refusals become problems here; the request's end commits
            except ApiProblem:
                raise
            except NotInOrganisation as missing:
                raise ApiProblem(404, " ".join(missing.errors.values())) from None
            except DomainError as refusal:
                raise ApiProblem(422, _("Nothing was saved."), refusal.errors) from None
            except StaleDataError:
                raise ApiProblem(412, _("Someone else saved a change at the same moment. Nothing was saved: "
                                        "read it again, then make your change.")) from None
            except IntegrityError:
                raise ApiProblem(409, _("That clashes with something already saved. Nothing was saved.")) from None
            return _respond(op, result)

        run.api_operation = op
        public(run)  # to the pages' sign-in check: the API checks its token and the role itself
        run.token_authenticated = True  # and no session cookie is even looked at
        op.view = run
        return view
    return register


def _arguments(op: Operation, values: dict) -> dict:
    for value in values.values():
        if isinstance(value, int) and not 1 <= value <= LARGEST_ID:
            raise ApiProblem(404, _("There is nothing at this address, or not for this token."))
    if "slug" in values:
        values["organisation"] = _organisation(values.pop("slug"), op)
    if ("ref" in values and not re.match(REF, values["ref"])) or ("code" in values and not re.match(
            REF, values["code"])) or ("key" in values and not re.match(KEY, values["key"])):
        raise ApiProblem(404, _("There is nothing at this address, or not for this token."))
    if op.query is not None:
        values["query"] = _parse(lambda: op.query.model_validate(request.args.to_dict()))
    if op.body is not None:
        if request.mimetype != "application/json":
            raise ApiProblem(415, _("Send the body as application/json."))
        values["body"] = _parse(lambda: op.body.model_validate_json(request.get_data() or b"{}"))
    return values


def _organisation(slug: str, op: Operation) -> Organisation:
    token = g.api_token
    try:
        organisation = organisation_by_slug(slug) if re.match(SLUG, slug) else None
    except NotInOrganisation:
        organisation = None
    role = role_through(token, organisation) if organisation is not None else None
    if role is None:
        raise ApiProblem(404, _("There is nothing at this address, or not for this token."))
    if not may(role, op.role):
        if request.method in WRITING and not token.can_write:
            raise ApiProblem(403, _("This token may only read."))
        raise ApiProblem(403, _("Your role in %(name)s does not allow this.", name=organisation.name))
    g.organisation, g.api_role, g.api_person_email = organisation, role, token.user.email
    return organisation


def _parse(parse: Callable):
    try:
        return parse()
    except ValidationError as invalid:
        errors = {}
        for error in invalid.errors(include_url=False):
            where = ".".join(str(part) for part in error["loc"]) or ""
            errors.setdefault(where, error["msg"])
        raise ApiProblem(422, _("The request does not fit the schema."), errors) from None


def _respond(op: Operation, result) -> Response:
    if isinstance(result, Response):
        return result
    model, headers = result if isinstance(result, tuple) else (result, {})
    response = Response(model.model_dump_json(), status=op.status, mimetype="application/json")
    for name, value in headers.items():
        response.headers[name] = value
    return response


# -- the OpenAPI document ------------------------------------------------------------------------------

def _openapi_path(rule: str) -> tuple[str, list[dict]]:
    parameters = []

    def replace(match):
        converter, name = match.group(1), match.group(2)
        if converter == "int":
            schema = {"type": "integer", "minimum": 1, "maximum": LARGEST_ID}
        else:
            schema = {"type": "string", "pattern": {"slug": SLUG, "key": KEY}.get(name, REF)}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return PREFIX + re.sub(r"<(?:(\w+):)?(\w+)>", replace, rule), parameters


def _without_null(schema: dict) -> dict:
    """A query parameter cannot be null: what is left out means none."""
    options = [option for option in schema.get("anyOf", []) if option.get("type") != "null"]
    if "anyOf" in schema and len(options) == 1:
        rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
        return {**options[0], **rest}
    return {k: v for k, v in schema.items() if k != "default" or v is not None}


# An If-Match header: "*", or entity tags as GET's ETag gives them ("v3"), weak ones too, separated by commas.
IF_MATCH = r'^\s*(\*|(W/)?"[\x21\x23-\x7e]*"(\s*,\s*(W/)?"[\x21\x23-\x7e]*")*)\s*$'


def _problem_responses(op: Operation) -> dict:
    codes = {400: "The URL's query carries a control character.",
             401: "No token, or one that is expired or revoked.", 429: "Too many requests with this token."}
    if op.versioned and op.method in WRITING:
        codes[400] = "The URL's query carries a control character, or If-Match is not a list of entity tags."
    if op.role is not None:
        codes.update({403: "The token or its owner's role does not allow this.",
                      404: "No such organisation or object for this token."})
    if op.query is not None or op.body is not None:
        codes[422] = "The request does not fit the schema, or the domain refuses it (field errors)."
    if op.body is not None:
        codes.update({400: "The body is not JSON, or the URL's query carries a control character.",
                      413: "The body is too large.", 415: "The body is not JSON."})
    if op.method in WRITING:
        codes[409] = "It clashes with something already saved."
        codes[412] = ("Changed since the version in If-Match (the detail says by whom), or by someone else at the "
                      "same moment: read it again, then make your change.")
    problem = {"content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    return {str(code): {"description": text, **problem} for code, text in sorted(codes.items())}


def openapi_document(operations: list[Operation], version: str) -> dict:
    """OpenAPI 3.1 for these operations, their schemas generated from the models that validate."""
    models = {schemas.Problem}
    for op in operations:
        models.update(m for m in (op.response, op.body) if m is not None)
    keyed = [(m, "validation" if any(op.body is m for op in operations) else "serialization")
             for m in sorted(models, key=lambda m: m.__name__)]
    _, definitions = models_json_schema(keyed, ref_template="#/components/schemas/{model}")
    paths: dict[str, dict] = {}
    for op in operations:
        path, parameters = _openapi_path(op.rule)
        if op.query is not None:
            query_schema = op.query.model_json_schema()
            required = set(query_schema.get("required", []))
            for name, schema in query_schema["properties"].items():
                parameters.append({"name": name, "in": "query", "required": name in required,
                                   "schema": _without_null(schema), "description": schema.get("description", "")})
        if op.versioned and op.method in WRITING:
            parameters.append({"name": "If-Match", "in": "header", "required": False,
                               "schema": {"type": "string", "pattern": IF_MATCH},
                               "description": "The ETag you read (\"v3\"), or several separated by commas; a change "
                                              "made since is refused with 412. Without it the change is made "
                                              "whatever was read."})
        ok: dict = {"description": op.summary}
        if op.response is not None:
            ok["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{op.response.__name__}"}}}
        elif op.media:
            ok["content"] = {op.media: {"schema": {"type": "string", "format": "binary"}}}
        if op.versioned:
            ok["headers"] = {"ETag": {"schema": {"type": "string"}, "description": "The version of what you read."}}
        if "Link" in op.headers:
            ok["headers"] = {"Link": {"schema": {"type": "string"}, "description": 'rel="next": the next page.'}}
        entry = {"operationId": op.endpoint, "summary": op.summary, "tags": [op.tag], "parameters": parameters,
                 "responses": {str(op.status): ok, **_problem_responses(op)}}
        if op.description:
            entry["description"] = op.description
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{op.body.__name__}"}}}}
        paths.setdefault(path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "cxroadmap API", "version": version,
                 "description": "An organisation's CX roadmap: its initiatives, their benefits and governance. "
                                "Authenticate with a personal access token: `Authorization: Bearer cxr_…`."},
        "servers": [{"url": "/"}],
        "security": [{"token": []}],
        "paths": paths,
        "components": {"schemas": definitions["$defs"],
                       "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                                     "description": "A personal access token from your "
                                                                    "account page."}}},
    }
