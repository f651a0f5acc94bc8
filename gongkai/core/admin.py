from django.contrib import admin

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
