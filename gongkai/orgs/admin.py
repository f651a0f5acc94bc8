from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from gongkai.core import audit
from gongkai.core.admin import AuditedModelAdmin

from . import services
from .models import DisclosureGuide, GroupAlias, Membership, Org


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]

    def save_model(self, request, obj, form, change):
        # Through the services, which keep the tree paths right and write the audit event.
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            saved = services.org_update(actor=request.user, org=obj, data=data)
        else:
            fields = {
                n: form.cleaned_data[n] for n in form.cleaned_data if n in services.MASTER_FIELDS
            }
            saved = services.org_create(actor=request.user, **fields)
        obj.pk, obj.path = saved.pk, saved.path
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        # Organisations are deactivated, never deleted: documents and the audit trail point at them.
        return False


@admin.register(GroupAlias)
class GroupAliasAdmin(AuditedModelAdmin):
    list_display = ["name", "description", "scope"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["scope"]


@admin.register(DisclosureGuide)
class DisclosureGuideAdmin(AuditedModelAdmin):
    list_display = ["org", "updated_at"]
    list_select_related = ["org"]
    autocomplete_fields = ["org"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["org"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(AuditedModelAdmin, UserAdmin):
    inlines = [MembershipInline]

    def user_change_password(self, request, id, form_url=""):
        # Django's password view saves outside save_model: audit it here, in one transaction.
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                audit.record(
                    actor=request.user,
                    verb="user.change_password",
                    target=("auth.user", id),
                    data={"via": "admin"},
                )
        return response

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(
                actor=request.user,
                verb="membership.grant",
                target=obj,
                org=obj.org,
                data={"user": obj.user.get_username(), "role": obj.role, "via": "admin"},
            )
        for obj in formset.deleted_objects:
            audit.record(
                actor=request.user,
                verb="membership.revoke",
                target=("orgs.membership", obj.pk),
                org=obj.org,
                data={"user": obj.user.get_username(), "role": obj.role, "via": "admin"},
            )
        for obj, changed in formset.changed_objects:
            audit.record(
                actor=request.user,
                verb="membership.update",
                target=obj,
                org=obj.org,
                data={"changed": changed, "role": obj.role, "via": "admin"},
            )
