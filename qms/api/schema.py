"""OpenAPI post-processing: document the error responses every endpoint can give."""

ERROR = {
    "description": "",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "description": "`detail` for request-level errors, or field name -> messages.",
                "additionalProperties": True,
            }
        }
    },
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


def add_error_responses(result, generator, request, public):
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, text in MESSAGES.items():
                if (
                    code == "400"
                    and method in ("get", "delete")
                    and not operation.get("parameters")
                ):
                    continue
                operation["responses"].setdefault(code, {**ERROR, "description": text})
    return result
