from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogsConfig(AppConfig):
    name = "gongkai.catalogs"
    label = "catalogs"
    verbose_name = _("标准目录")
