import logging

from django.http import JsonResponse
from django.shortcuts import render

from .exceptions import ApplicationError

logger = logging.getLogger("gongkai")


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
