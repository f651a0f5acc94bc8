import logging

from django.http import JsonResponse
from django.shortcuts import render

from .exceptions import ApplicationError

logger = logging.getLogger("gongkai")


# How often a signed-in user's session end is moved on (seconds).
SESSION_REFRESH = 300
_REFRESHED = "_refreshed"


def mark_session_fresh(sender, request, user, **kwargs):
    """On login: the session was just written, no refresh is due yet."""
    import time

    request.session[_REFRESHED] = int(time.time())


class SessionIdleMiddleware:
    """A staff session lasts SESSION_COOKIE_AGE (8 h) from the last request, not from login:
    every few minutes of activity the session is saved again, which moves its end on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(_REFRESHED, 0) >= SESSION_REFRESH:
                request.session[_REFRESHED] = now  # modified: saved with a new expiry
        return self.get_response(request)


class RejectNulMiddleware:
    """A NUL character in the path, a query or a form or JSON body is refused with a 400 before any view
    runs: no text legitimately holds one, and PostgreSQL cannot store it (it would be a 500).
    Uploaded files (multipart) are bytes and are not looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest

        query = request.META.get("QUERY_STRING", "").lower()
        suspect = "%00" in query or "\x00" in query or "\x00" in request.path
        content_type = request.META.get("CONTENT_TYPE", "")
        if not suspect and content_type.startswith(
            ("application/json", "application/x-www-form-urlencoded")
        ):
            body = request.body
            suspect = b"\x00" in body or b"%00" in body or b"\\u0000" in body
        if suspect:
            message = "请求中含有无效字符（NUL）。"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "invalid_characters"}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on the staff site, the admin, the API and the request pages:
    a shared computer's browser or a caching proxy must not keep a page with personal data."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.prefixes = tuple(settings.GONGKAI_NO_STORE_PREFIXES)

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefixes):
            from django.utils.cache import add_never_cache_headers

            add_never_cache_headers(response)
        return response


class ApplicationErrorMiddleware:
    """Turn an ApplicationError escaping a view into a 4xx page (or JSON under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApplicationError):
            return None
        logger.info(
            "application error %s on %s %s: %s",
            exception.code,
            request.method,
            request.path,
            exception.extra or "",
        )
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": str(exception.message), "code": exception.code},
                status=exception.status_code,
            )
        return render(
            request,
            "portal/error.html",
            {"message": exception.message, "status": exception.status_code},
            status=exception.status_code,
        )


class ReadReplicaMiddleware:
    """Let an anonymous public GET read from a healthy replica (core.db_router); after any
    other method, keep the client on the primary for GONGKAI_REPLICA_STICKY_SECONDS.

    Sits after AuthenticationMiddleware: whether the user is signed in is read from the
    primary, before a replica is chosen. Not installed at all without replicas."""

    def __init__(self, get_response):
        from django.conf import settings
        from django.core.exceptions import MiddlewareNotUsed

        if not getattr(settings, "GONGKAI_REPLICA_ALIASES", None):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        from . import db_router

        token = db_router.use(db_router.read_alias_for(request))
        try:
            response = self.get_response(request)
        finally:
            db_router.reset(token)
        if request.method not in db_router.SAFE_METHODS:
            db_router.set_sticky(response)
        return response

    def process_exception(self, request, exception):
        """A replica that fails mid-request: mark it down and run the view on the primary."""
        from django.db import connections
        from django.db.utils import InterfaceError, OperationalError

        from . import db_router

        alias = db_router.current_read_alias()
        if alias is None or not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if not connections[alias].errors_occurred:
            return None  # the primary failed: nothing to fall back to
        db_router.mark_down(alias, exception)
        db_router.use(None)  # __call__ resets it when the request ends
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
