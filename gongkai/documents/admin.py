from django.contrib import admin

from gongkai.core.admin import AuditedModelAdmin

from .models import Category, Column


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    """The subject taxonomy. Moving a category under another changes which searches find its
    documents under the parent: run `gongkai reindex` afterwards."""

    list_display = ["name", "code", "parent", "basis", "sort_order"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "name"]


@admin.register(Column)
class ColumnAdmin(AuditedModelAdmin):
    """专栏: topical sections across organisations; staff file documents into them when drafting."""

    list_display = ["name", "slug", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
