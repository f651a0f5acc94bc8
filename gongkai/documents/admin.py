from django.contrib import admin

from gongkai.core.admin import AuditedModelAdmin

from .models import Category, Column, Document


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    """The subject taxonomy. Moving a category re-indexes its documents (their category terms
    name every ancestor), in the admin's transaction."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "parent" in form.changed_data:
            from . import signals
            from .selectors import category_subtree

            signals.documents_changed.send(
                Document,
                documents=Document.objects.filter(category_id__in=category_subtree(code=obj.code)),
            )

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
