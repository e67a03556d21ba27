"""/scim/v2/: the SCIM endpoints an identity provider provisions its people through, with its bearer token."""

import json

from flask import Blueprint, Response, current_app, g, request, url_for

from cxroadmap.access import public
from cxroadmap.audit.services import Actor, set_actor
from cxroadmap.extensions import csrf, db, limiter
from cxroadmap.sso import scim

bp = Blueprint("scim", __name__, url_prefix="/scim/v2")
csrf.exempt(bp)
SCIM_TYPE = "application/scim+json"


def _answer(body: dict | None, status: int = 200) -> Response:
    return Response(json.dumps(body) if body is not None else "", status=status, mimetype=SCIM_TYPE)


def _token_key() -> str:
    return "scim:" + (request.headers.get("Authorization") or "")[-16:]


def scim_view(rule: str, methods: list[str]):
    """A SCIM endpoint: its bearer token names the provider (no cookie is looked at); errors are SCIM errors."""
    def register(view):
        def run(**values):
            header = request.headers.get("Authorization") or ""
            provider = scim.provider_of_token(header[7:].strip()) if header[:7].lower() == "bearer " else None
            if provider is None:
                return _error(scim.ScimError(401, "A valid SCIM bearer token is needed."))
            g.scim_provider = provider
            set_actor(Actor(f"SCIM ({provider.name})"[:254], None, request.remote_addr or ""))
            try:
                return view(provider, **values)
            except scim.ScimError as problem:
                db.session.rollback()
                return _error(problem)
        run.__name__ = view.__name__
        limited = limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_token_key, scope="scim")(run)
        public(limited)
        limited.token_authenticated = True
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=limited, methods=methods)
        return view
    return register


def _error(problem: "scim.ScimError") -> Response:
    response = _answer(problem.as_json(), problem.status)
    if problem.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="cxroadmap SCIM"'
    return response


def _body() -> dict:
    try:
        return json.loads(request.get_data() or b"{}")
    except ValueError:
        raise scim.ScimError(400, "The body is not JSON.", "invalidSyntax") from None


def _whole(name: str, default: int) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 9 else default


def _location(link) -> str:
    return url_for("scim.user", link_id=str(link.id), _external=True)


@scim_view("/ServiceProviderConfig", ["GET"])
def service_provider_config(provider):
    return _answer({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": True}, "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": scim.MAX_COUNT}, "changePassword": {"supported": False},
        "sort": {"supported": False}, "etag": {"supported": False},
        "authenticationSchemes": [{"type": "oauthbearertoken", "name": "Bearer token", "primary": True,
                                   "description": "The token from flask sso scim-token ISSUER."}]})


@scim_view("/Users", ["GET"])
def list_users(provider):
    start, count = max(_whole("startIndex", 1), 1), _whole("count", 100)
    total, page = scim.users(provider, request.args.get("filter"), start, count)
    return _answer({"schemas": [scim.LIST_SCHEMA], "totalResults": total, "startIndex": start,
                    "itemsPerPage": len(page), "Resources": [scim.as_resource(link, _location(link))
                                                             for link in page]})


@scim_view("/Users", ["POST"])
def create_user(provider):
    link = scim.create_user(provider, _body())
    db.session.commit()
    response = _answer(scim.as_resource(link, _location(link)), 201)
    response.headers["Location"] = _location(link)
    return response


@scim_view("/Users/<link_id>", ["GET"])
def user(provider, link_id: str):
    link = scim.link_in(provider, link_id)
    return _answer(scim.as_resource(link, _location(link)))


@scim_view("/Users/<link_id>", ["PUT"])
def replace_user(provider, link_id: str):
    link = scim.replace_user(provider, scim.link_in(provider, link_id), _body())
    db.session.commit()
    return _answer(scim.as_resource(link, _location(link)))


@scim_view("/Users/<link_id>", ["PATCH"])
def patch_user(provider, link_id: str):
    link = scim.patch_user(provider, scim.link_in(provider, link_id), _body())
    db.session.commit()
    return _answer(scim.as_resource(link, _location(link)))


@scim_view("/Users/<link_id>", ["DELETE"])
def delete_user(provider, link_id: str):
    scim.delete_user(provider, scim.link_in(provider, link_id))
    db.session.commit()
    return _answer(None, 204)


def _schemas() -> list[dict]:
    from scim2_models import Context, Group, User

    schemas = []
    for model in (User, Group):
        schema = model.to_schema().model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        schema["meta"] = {"resourceType": "Schema", "location": url_for("scim.schema", schema_id=schema["id"],
                                                                        _external=True)}
        schemas.append(schema)
    return schemas


def _resource_types() -> list[dict]:
    from scim2_models import Context, Group, ResourceType, User

    types = []
    for model in (User, Group):
        resource_type = ResourceType.from_resource(model).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        resource_type["meta"] = {"resourceType": "ResourceType", "location": url_for(
            "scim.resource_type", type_id=resource_type["id"], _external=True)}
        types.append(resource_type)
    return types


def _listed(resources: list[dict]) -> Response:
    return _answer({"schemas": [scim.LIST_SCHEMA], "totalResults": len(resources), "startIndex": 1,
                    "itemsPerPage": len(resources), "Resources": resources})


def _one(resources: list[dict], wanted: str) -> Response:
    found = next((resource for resource in resources if resource["id"] == wanted), None)
    if found is None:
        raise scim.ScimError(404, f"No {wanted[:80]} here.")
    return _answer(found)


@scim_view("/Schemas", ["GET"])
def schemas(provider):
    return _listed(_schemas())


@scim_view("/Schemas/<schema_id>", ["GET"])
def schema(provider, schema_id: str):
    return _one(_schemas(), schema_id)


@scim_view("/ResourceTypes", ["GET"])
def resource_types(provider):
    return _listed(_resource_types())


@scim_view("/ResourceTypes/<type_id>", ["GET"])
def resource_type(provider, type_id: str):
    return _one(_resource_types(), type_id)


@scim_view("/Schemas", ["POST", "PUT", "PATCH", "DELETE"])
def schemas_read_only(provider):
    raise scim.ScimError(405, "Schemas are read only.")


@scim_view("/ResourceTypes", ["POST", "PUT", "PATCH", "DELETE"])
def resource_types_read_only(provider):
    raise scim.ScimError(405, "Resource types are read only.")


@scim_view("/<path:unknown>", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def nothing_here(provider, unknown: str):
    raise scim.ScimError(404, "There is nothing at this address.")


@scim_view("/ServiceProviderConfig", ["POST", "PUT", "PATCH", "DELETE"])
def service_provider_config_read_only(provider):
    raise scim.ScimError(405, "The service provider configuration is read only.")


def _group_location(name: str) -> str:
    return url_for("scim.group", name=name, _external=True)


@scim_view("/Groups", ["GET"])
def list_groups(provider):
    names = scim.group_names(provider)
    filter_text = request.args.get("filter")
    if filter_text:
        import re

        found = re.match(r'^\s*displayName\s+eq\s+"([^"]*)"\s*$', filter_text, re.IGNORECASE)
        if found is None:
            raise scim.ScimError(400, 'Only displayName eq "…" filters Groups here.', "invalidFilter")
        names = [name for name in names if name == found.group(1)]
    start, count = max(_whole("startIndex", 1), 1), min(_whole("count", 100), scim.MAX_COUNT)
    page = names[start - 1:start - 1 + count]
    return _answer({"schemas": [scim.LIST_SCHEMA], "totalResults": len(names), "startIndex": start,
                    "itemsPerPage": len(page), "Resources": [scim.group_resource(provider, name, _group_location(name))
                                                             for name in page]})


@scim_view("/Groups", ["POST"])
def create_group(provider):
    body = _body()
    name = scim.set_group_members(provider, body.get("displayName"), body.get("members") or [])
    db.session.commit()
    response = _answer(scim.group_resource(provider, name, _group_location(name)), 201)
    response.headers["Location"] = _group_location(name)
    return response


@scim_view("/Groups/<path:name>", ["GET"])
def group(provider, name: str):
    return _answer(scim.group_resource(provider, scim.group_named(provider, name), _group_location(name)))


@scim_view("/Groups/<path:name>", ["PUT"])
def replace_group(provider, name: str):
    scim.group_named(provider, name)
    scim.set_group_members(provider, name, _body().get("members") or [])
    db.session.commit()
    return _answer(scim.group_resource(provider, name, _group_location(name)))


@scim_view("/Groups/<path:name>", ["PATCH"])
def patch_group(provider, name: str):
    scim.patch_group(provider, scim.group_named(provider, name), _body())
    db.session.commit()
    return _answer(scim.group_resource(provider, name, _group_location(name)))


@scim_view("/Groups/<path:name>", ["DELETE"])
def delete_group(provider, name: str):
    scim.set_group_members(provider, scim.group_named(provider, name), [])
    db.session.commit()
    return _answer(None, 204)
