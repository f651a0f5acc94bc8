"""Admin of the catalogs' editable data: the pilot areas (names, guidelines, order). Catalogs
and items are edited in the workbench, through the services and the review workflow."""

from django.contrib import admin

from gongkai.core.admin import AuditedModelAdmin

from .models import Area


@admin.register(Area)
class AreaAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "guideline", "sort_order"]
    search_fields = ["name", "code", "guideline"]
    ordering = ["sort_order", "name"]
