"""The default subject categories: the items of Art.20 and Art.21 of the Regulations (editable)."""

from django.db import migrations

ART20 = [
    ("regulations", "规章和规范性文件", "（一）"),
    ("functions", "机构职能", "（二）"),
    ("plans", "规划计划", "（三）"),
    ("statistics", "统计信息", "（四）"),
    ("licensing", "行政许可和对外管理服务", "（五）"),
    ("penalties", "行政处罚和行政强制", "（六）"),
    ("budgets", "财政预决算", "（七）"),
    ("fees", "行政事业性收费", "（八）"),
    ("procurement", "政府集中采购", "（九）"),
    ("major-projects", "重大建设项目", "（十）"),
    ("livelihood", "扶贫、教育、医疗、社会保障、促进就业", "（十一）"),
    ("emergency", "突发公共事件应急预案和应对", "（十二）"),
    ("inspections", "环境保护、公共卫生、安全生产、食品药品、产品质量监督检查", "（十三）"),
    ("recruitment", "公务员招考", "（十四）"),
    ("other", "其他应主动公开的信息", "（十五）"),
]
ART21 = [
    ("urban-affairs", "城乡建设和管理的重大事项", "（一）"),
    ("public-welfare", "社会公益事业建设", "（二）"),
    ("land-expropriation", "征收征用土地、房屋征收及补偿", "（三）"),
    ("relief-funds", "抢险救灾、优抚、救济、社会捐助款物管理", "（四）"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("documents", "Category")
    order = 0
    for article, items in (("第二十条", ART20), ("第二十一条", ART21)):
        for code, name, item in items:
            order += 1
            Category.objects.create(code=code, name=name, basis=f"条例{article}第{item}项", sort_order=order)


def unseed(apps, schema_editor):
    apps.get_model("documents", "Category").objects.filter(code__in=[c for c, *_ in ART20 + ART21]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
