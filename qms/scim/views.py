"""The SCIM 2.0 endpoints. Only a provisioning key (``Authorization: Bearer <key>``, made in
the admin) opens them — never a session or a person's API key. Every answer, errors included,
is SCIM JSON (``application/scim+json``)."""

from __future__ import annotations

import functools
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from qms import tokens
from qms.models import OrgUnit, User
from qms.scim import schema, services
from qms.scim.schema import CONTENT_TYPE, LIST, ScimError

MAX_COUNT = 200


def _answer(body: dict | None, status: int = 200) -> HttpResponse:
    if body is None:
        return HttpResponse(status=status)
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)


def _authenticate(request) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ScimError(401, "A provisioning key is required (Authorization: Bearer <key>)")
    if tokens.valid_provisioning_token(key.strip()) is None:
        raise ScimError(401, "Unknown or expired provisioning key")


def _json(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ScimError(400, "The body is not JSON", "invalidSyntax") from None
    if not isinstance(body, dict):
        raise ScimError(400, "The body must be a JSON object", "invalidSyntax")
    return body


def scim_view(methods: tuple[str, ...]):
    """Bearer-key authentication, the allowed methods, and every ScimError as SCIM JSON."""

    def decorate(view):
        # Django's decorator as well, so the methods are declared where tools look for them;
        # the wrapper answers a wrong method first, as SCIM JSON.
        view = require_http_methods(list(methods))(view)

        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                _authenticate(request)
                if request.method not in methods:
                    raise ScimError(405, f"{request.method} is not allowed here")
                return view(request, *args, **kwargs)
            except ScimError as exc:
                response = _answer(exc.body(), exc.status)
                if exc.status == 401:
                    response["WWW-Authenticate"] = 'Bearer realm="scim"'
                if exc.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response

        return wrapper

    return decorate


def _base(request) -> str:
    return settings.SITE_URL + "/scim/v2"


def _page(request, queryset, render) -> dict:
    try:
        start = max(int(request.GET.get("startIndex", 1)), 1)
        count = min(max(int(request.GET.get("count", 100)), 0), MAX_COUNT)
    except ValueError:
        raise ScimError(400, "startIndex and count must be numbers", "invalidValue") from None
    total = queryset.count()
    rows = list(queryset[start - 1 : start - 1 + count])
    return {
        "schemas": [LIST],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(rows),
        "Resources": [render(row) for row in rows],
    }


def _get(model, pk: str):
    obj = model.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if obj is None:
        raise ScimError(404, f"{model.__name__} {pk} not found")
    return obj


@scim_view(("GET", "POST"))
def users(request):
    base = _base(request)
    if request.method == "POST":
        user = services.save_user(None, schema.user_fields(_json(request)))
        return _answer(schema.user_resource(user, base), 201)
    queryset = User.objects.order_by("pk")
    if request.GET.get("filter"):
        queryset = queryset.filter(
            services.parse_filter(request.GET["filter"], services.user_filters())
        )
    return _answer(_page(request, queryset, lambda u: schema.user_resource(u, base)))


@scim_view(("GET", "PUT", "PATCH", "DELETE"))
def user_detail(request, pk: str):
    user = _get(User, pk)
    if request.method == "DELETE":
        services.deactivate_user(user)
        return _answer(None, 204)
    if request.method == "PUT":
        user = services.save_user(user, schema.user_fields(_json(request)))
    elif request.method == "PATCH":
        user = services.patch_user(user, _json(request).get("Operations"))
    return _answer(schema.user_resource(user, _base(request)))


@scim_view(("GET", "POST"))
def groups(request):
    base = _base(request)
    if request.method == "POST":
        unit = services.create_group(_json(request))
        return _answer(schema.group_resource(unit, base), 201)
    queryset = OrgUnit.objects.filter(is_active=True).order_by("pk")
    if request.GET.get("filter"):
        queryset = queryset.filter(
            services.parse_filter(request.GET["filter"], services.GROUP_FILTERS)
        )
    members = "members" not in request.GET.get("excludedAttributes", "")
    return _answer(_page(request, queryset, lambda u: schema.group_resource(u, base, members)))


@scim_view(("GET", "PUT", "PATCH", "DELETE"))
def group_detail(request, pk: str):
    unit = _get(OrgUnit, pk)
    if request.method == "DELETE":
        services.close_group(unit)
        return _answer(None, 204)
    if request.method == "PUT":
        unit = services.replace_group(unit, _json(request))
    elif request.method == "PATCH":
        unit = services.patch_group(unit, _json(request).get("Operations"))
    members = "members" not in request.GET.get("excludedAttributes", "")
    return _answer(schema.group_resource(unit, _base(request), members))


@scim_view(("GET",))
def service_provider_config(request):
    return _answer(
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": MAX_COUNT},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": False},
            "authenticationSchemes": [
                {
                    "type": "oauthbearertoken",
                    "name": "Bearer token",
                    "description": "A provisioning key made in the admin",
                    "primary": True,
                }
            ],
        }
    )


@scim_view(("GET",))
def resource_types(request):
    base = _base(request)
    types = [
        ("User", "/Users", schema.CORE_USER, [schema.ENTERPRISE]),
        ("Group", "/Groups", schema.CORE_GROUP, []),
    ]
    resources = [
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": name,
            "name": name,
            "endpoint": endpoint,
            "schema": core,
            "schemaExtensions": [{"schema": ext, "required": False} for ext in extensions],
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/{name}"},
        }
        for name, endpoint, core, extensions in types
    ]
    return _answer(
        {
            "schemas": [LIST],
            "totalResults": 2,
            "startIndex": 1,
            "itemsPerPage": 2,
            "Resources": resources,
        }
    )
