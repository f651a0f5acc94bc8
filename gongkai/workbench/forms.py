from django import forms
from django.utils.translation import gettext_lazy as _

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


class StaffRegisterForm(forms.Form):
    """Staff register a request received by any channel; Art.31 decides the date of receipt."""

    def __init__(self, *args, orgs, **kwargs):
        from gongkai.foi.forms import ApplicationForm
        from gongkai.foi.models import Channel

        super().__init__(*args, **kwargs)
        public = ApplicationForm()
        for name, f in public.fields.items():
            if name not in ("captcha", "token"):
                self.fields[name] = f
        self.fields["org"].queryset = orgs
        self.fields["channel"] = forms.ChoiceField(label=_("申请方式"), choices=Channel.choices)
        self.fields["submitted_on"] = forms.DateField(
            label=_("提交（寄出）日期"), widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["confirmed_on"] = forms.DateField(
            label=_("签收或确认日期（邮寄、传真、网上申请填写）"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
