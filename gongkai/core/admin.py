from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from . import audit, services
from .models import AuditEvent, CalendarDay, CalendarYear, Sequence


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits of master data leave audit events too (the admin view is already atomic)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            verb=f"admin.{obj._meta.model_name}.{'update' if change else 'create'}",
            target=obj,
            data={"changed": form.changed_data},
        )

    def delete_model(self, request, obj):
        audit.record(
            actor=request.user,
            verb=f"admin.{obj._meta.model_name}.delete",
            target=obj,
            data={"repr": str(obj)},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["seq", "time", "actor_label", "org", "verb", "target_type", "target_id"]
    list_filter = ["verb"]
    search_fields = ["verb", "target_id", "actor_label"]
    list_select_related = ["org"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "region", "source"]
    list_filter = ["kind", "region"]
    date_hierarchy = "date"
    search_fields = ["name", "source"]
    list_select_related = ["region"]

    def save_model(self, request, obj, form, change):
        services.calendar_day_save(actor=request.user, day=obj)

    def delete_model(self, request, obj):
        services.calendar_day_delete(actor=request.user, day=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.calendar_day_delete(actor=request.user, day=obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedModelAdmin):
    list_display = ["year", "region", "source", "loaded_at"]
    list_select_related = ["region"]


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin):
    list_display = ["name", "value"]
    readonly_fields = ["name", "value"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- third-party labels in Chinese ------------------------------------------------------------
# django-axes ships no Chinese catalog: its app and models are named here, in the project's
# words (English in English mode through the project's catalog).
_AXES_NAMES = {
    "accessattempt": (_("登录尝试"), _("登录尝试")),
    "accessfailurelog": (_("登录失败记录"), _("登录失败记录")),
    "accesslog": (_("登录记录"), _("登录记录")),
    "accessattemptexpiration": (_("登录尝试过期时间"), _("登录尝试过期时间")),
}
_AXES_FIELDS = {
    "user_agent": _("浏览器标识"),
    "ip_address": _("IP 地址"),
    "username": _("用户名"),
    "http_accept": _("HTTP Accept 头"),
    "path_info": _("访问路径"),
    "attempt_time": _("尝试时间"),
    "get_data": _("GET 数据"),
    "post_data": _("POST 数据"),
    "failures_since_start": _("失败次数"),
    "locked_out": _("已锁定"),
    "logout_time": _("退出时间"),
    "expires_at": _("过期时间"),
    "access_attempt": _("登录尝试"),
}

# Strings of Django's own admin that its Chinese catalog lacks (the index page's hidden
# column headers): marked here so that the project's catalog carries their translation.
DJANGO_ADMIN_STRINGS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)


def _name_axes() -> None:
    from django.apps import apps

    try:
        config = apps.get_app_config("axes")
    except LookupError:
        return
    config.verbose_name = _("登录安全")
    for model in config.get_models():
        names = _AXES_NAMES.get(model._meta.model_name)
        if names:
            model._meta.verbose_name, model._meta.verbose_name_plural = names
        for field in model._meta.get_fields():
            if getattr(field, "name", None) in _AXES_FIELDS and hasattr(field, "verbose_name"):
                field.verbose_name = _AXES_FIELDS[field.name]


_name_axes()
