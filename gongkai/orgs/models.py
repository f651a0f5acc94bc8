from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import BaseModel

from .validators import validate_org_code


class Org(BaseModel):
    """An organisation that publishes and answers: a government, department, township, unit."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("政府工作部门")
        DISTRICT = "district", _("区县（市）人民政府")
        TOWNSHIP = "township", _("乡镇人民政府（街道办事处）")
        INTERNAL_UNIT = "internal_unit", _("内设机构")
        PUBLIC_BODY = "public_body", _("其他公共机构")

    # Kinds that are sub-units of the organisation above them: staff of that organisation act
    # for them too. The other kinds are organs with their own statutory duties (Art.10).
    SUB_UNIT_KINDS = (Kind.INTERNAL_UNIT, Kind.PUBLIC_BODY)

    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=128, unique=True)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    code = models.CharField(
        _("机构代码"),
        max_length=18,
        unique=True,
        validators=[validate_org_code],
        help_text=_("组织机构代码（9 位）或统一社会信用代码（18 位），用于索引号。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys ("/1/7/42/"), kept by the services; it answers
    # "this organisation and everything below it" with one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    functions = models.TextField(_("机构职能"), blank=True)
    address = models.CharField(_("办公地址"), max_length=255, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=255, blank=True)
    phone = models.CharField(_("联系电话"), max_length=64, blank=True)
    fax = models.CharField(_("传真"), max_length=64, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    head = models.CharField(_("负责人"), max_length=64, blank=True)
    disclosure_head = models.CharField(_("政务公开工作负责人"), max_length=64, blank=True)
    # The person filed as responsible for openness is published with title and contact
    # (机构职能目录; 政府网站发展指引: each office names who answers for its disclosure work).
    # A database default too: rows written by code that predates these columns stay valid.
    disclosure_head_title = models.CharField(
        _("政务公开工作负责人职务"), max_length=64, blank=True, db_default=""
    )
    disclosure_head_phone = models.CharField(
        _("政务公开工作负责人联系电话"), max_length=64, blank=True, db_default=""
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:org_detail", kwargs={"code": self.code})

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 1, 0)

    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to this organisation itself."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def descendants(self, include_self: bool = True):
        qs = Org.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


class DisclosureGuide(BaseModel):
    """政府信息公开指南 (Art.12): how this organisation publishes and how to ask it for information.

    Blank contact fields fall back to the organisation's own; blank remedies fall back to the
    text of Art.51 with the configured review and litigation periods.
    """

    org = models.OneToOneField(Org, on_delete=models.CASCADE, related_name="guide")
    classification = models.TextField(
        _("信息分类与编排"), blank=True, help_text=_("主动公开信息的分类、编排体系。")
    )
    proactive_access = models.TextField(_("主动公开信息的获取方式"), blank=True)
    request_procedure = models.TextField(_("依申请公开的办理程序"), blank=True)
    office_name = models.CharField(_("受理机构名称"), max_length=128, blank=True)
    office_address = models.CharField(_("受理机构地址"), max_length=255, blank=True)
    office_hours = models.CharField(_("受理时间"), max_length=255, blank=True)
    office_phone = models.CharField(_("咨询电话"), max_length=64, blank=True)
    office_fax = models.CharField(_("传真"), max_length=64, blank=True)
    online_contact = models.CharField(_("网上联系方式"), max_length=255, blank=True)
    remedies = models.TextField(_("救济途径"), blank=True)

    class Meta:
        verbose_name = _("政府信息公开指南")
        verbose_name_plural = _("政府信息公开指南")

    def __str__(self):
        return str(self.org)


class GroupAlias(BaseModel):
    """A name used in work plans ("市政府各部门") and the organisations it stands for.

    Resolved by rule (organisations of the given kinds under `scope`) and/or an explicit list.
    """

    name = models.CharField(_("名称"), max_length=64, unique=True)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    scope = models.ForeignKey(
        Org,
        verbose_name=_("范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("在此机构之下按类型选取；留空表示全部机构。"),
    )
    kinds = models.JSONField(_("机构类型"), default=list, blank=True)
    direct_children_only = models.BooleanField(_("仅直接下级"), default=True)
    members = models.ManyToManyField(
        Org, verbose_name=_("另行指定的机构"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("机构组别名")
        verbose_name_plural = _("机构组别名")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if not isinstance(self.kinds, list) or any(k not in Org.Kind.values for k in self.kinds):
            raise ValidationError(
                {
                    "kinds": _('应为机构类型代码的列表，如 ["department"]；可用：%(kinds)s')
                    % {"kinds": ", ".join(Org.Kind.values)}
                }
            )


class Membership(BaseModel):
    """A staff user's role in one organisation; the only source of what a user may do."""

    class Role(models.TextChoices):
        PUBLISHER = "publisher", _("信息发布员")
        REVIEWER = "reviewer", _("保密审查员")
        REQUEST_HANDLER = "request_handler", _("申请办理员")
        LEGAL_REVIEWER = "legal_reviewer", _("法制审核员")
        OFFICE_HEAD = "office_head", _("公开办负责人")
        SUPERVISOR = "supervisor", _("监督员")
        ADMINISTRATOR = "administrator", _("管理员")

    # Roles whose reach is the organisation's whole region, not just its own sub-units.
    REGION_ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    org = models.ForeignKey(
        Org, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["org__path", "role"]
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.org} · {self.get_role_display()}"
