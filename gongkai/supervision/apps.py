from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "gongkai.supervision"
    verbose_name = _("工作要点督办")
