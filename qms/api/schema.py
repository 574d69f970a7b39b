"""OpenAPI post-processing: the error responses every endpoint can give, and filter parameters
that name their choice set instead of repeating it.

Both run after drf-spectacular's ``postprocess_schema_enums`` (see ``SPECTACULAR_SETTINGS``).
"""

from drf_spectacular.drainage import warn

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for request-level errors, or field name -> messages.",
    "additionalProperties": True,
}
MESSAGES = {
    "400": "Ugyldige data",
    "401": "Ikke innlogget",
    "403": "Ingen tilgang",
    "404": "Finnes ikke, eller ikke synlig for deg",
    "405": "Metoden er ikke tillatt",
    "409": "Konflikt med gjeldende tilstand",
    "429": "For mange forespørsler",
}


def _operations(result):
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield method, operation


def add_error_responses(result, generator, request, public):
    """One shared ``Error`` component: inline, each operation's error would be its own model
    in a generated client (seven per operation)."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for method, operation in _operations(result):
        for code, text in MESSAGES.items():
            if code == "400" and method in ("get", "delete") and not operation.get("parameters"):
                continue
            operation["responses"].setdefault(code, {"description": text, "content": content})
    return result


def _enum_key(schema: dict) -> tuple:
    return tuple(sorted(str(value) for value in schema["enum"] if value not in ("", None)))


def refer_parameter_enums(result, generator, request, public):
    """A filter parameter's choices become a ``$ref`` to the component enum of the same model
    field. Inline, a generated client names each parameter's enum after the operation and the
    field's Norwegian label (``V1UnitsListNivå``); a reference gives the English component name
    from ``ENUM_NAME_OVERRIDES``."""
    components = result.get("components", {}).get("schemas", {})
    by_values: dict[tuple, list[str]] = {}
    for name, component in components.items():
        if "enum" in component and _enum_key(component):
            by_values.setdefault(_enum_key(component), []).append(name)
    for _method, operation in _operations(result):
        for parameter in operation.get("parameters", []):
            holder = parameter["schema"]
            if holder.get("type") == "array":
                holder = holder["items"]
            if "enum" not in holder:
                continue
            names = by_values.get(_enum_key(holder), [])
            if len(names) != 1:
                warn(
                    f"filter parameter {parameter['name']!r} of {operation['operationId']}: "
                    f"choices match {len(names)} enum components, not one; left inline"
                )
                continue
            holder.clear()
            holder["$ref"] = f"#/components/schemas/{names[0]}"
    return result
