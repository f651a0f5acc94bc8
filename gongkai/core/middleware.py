import logging

from django.http import JsonResponse
from django.shortcuts import render

from .exceptions import ApplicationError

logger = logging.getLogger("gongkai")


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
