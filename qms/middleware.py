from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


def language_for(request) -> str:
    """The language a request is shown in: the user's own choice (their profile, or the language
    selector's cookie when they have none), else the municipality's målform, else bokmål.

    The browser's Accept-Language is never asked: many municipal employees run browsers in
    English, and that must not switch the UI away from the municipality's målform.
    """
    from qms.site import language_of

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in dict(settings.LANGUAGES):
        return user.language
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return language_of(None)


class LanguageMiddleware(LocaleMiddleware):
    """Activates ``language_for(request)``; placed after the authentication middleware."""

    def process_request(self, request):
        translation.activate(language_for(request))
        request.LANGUAGE_CODE = translation.get_language()


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than ``REQUEST_BODY_MAX_BYTES`` with 413,
    before anything reads it. ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not count file uploads, so
    without this a 100 MB upload (also through the open guest form) is received and spooled
    to disk before the form's 10 MB check refuses it. A body without Content-Length is not read
    by Django at all; the proxy caps the body size as well."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest()
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return HttpResponse(
                _("Forespørselen er for stor. Største tillatte størrelse er %(mb)s MB.")
                % {"mb": settings.REQUEST_BODY_MAX_BYTES // (1024 * 1024)},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Staff who signed in with a password and have no authenticator app see only the page that
    sets one up (qms.identity.needs_totp_setup); the API answers 403 until then."""

    ALLOWED = (
        "mfa_activate_totp",
        "account_reauthenticate",
        "logout",
        "account_logout",
        "set_language",
        "healthz",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import JsonResponse
        from django.shortcuts import redirect
        from django.urls import reverse

        from qms import identity

        if not identity.needs_totp_setup(request):
            return self.get_response(request)
        allowed = {reverse(name) for name in self.ALLOWED}
        if request.path in allowed or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        message = _("Sett opp tofaktorinnlogging med en autentiseringsapp før du går videre.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        return redirect("mfa_activate_totp")
