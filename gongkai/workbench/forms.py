from django import forms

from gongkai.orgs.models import DisclosureGuide, Org
from gongkai.orgs.services import GUIDE_FIELDS, PROFILE_FIELDS


class OrgProfileForm(forms.ModelForm):
    class Meta:
        model = Org
        fields = PROFILE_FIELDS
        widgets = {"functions": forms.Textarea(attrs={"rows": 6})}


class GuideForm(forms.ModelForm):
    class Meta:
        model = DisclosureGuide
        fields = GUIDE_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in ("classification", "proactive_access", "request_procedure", "remedies")
        }
