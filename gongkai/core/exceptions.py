class ApplicationError(Exception):
    """A rule of the domain was broken by the caller's input.

    `message` is shown to the user (Chinese, marked for translation); `code` is a stable
    English identifier for logs, tests and API clients. Views turn it into an HTTP 400 and the
    CLI into exit code 2; nothing has been written when it is raised inside a service.
    """

    status_code = 400

    def __init__(self, message, *, code: str = "invalid", extra: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    status_code = 403

    def __init__(self, message=None, *, code: str = "forbidden", extra: dict | None = None):
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("您没有执行此操作的权限。"), code=code, extra=extra)


class NotFoundError(ApplicationError):
    """Also used for objects outside the caller's reach, so their existence does not leak."""

    status_code = 404

    def __init__(self, message=None, *, code: str = "not_found", extra: dict | None = None):
        from django.utils.translation import gettext_lazy as _

        super().__init__(message or _("找不到该页面或对象。"), code=code, extra=extra)


class ConflictError(ApplicationError):
    """The same thing was already done (a replayed submission): HTTP 409."""

    status_code = 409


class RateLimitedError(ApplicationError):
    """Too many attempts from one address in a period: HTTP 429."""

    status_code = 429
