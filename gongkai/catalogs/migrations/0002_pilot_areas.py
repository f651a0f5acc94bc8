"""The 26 pilot areas of the standard disclosure catalogs (data; editable afterwards).

国办发〔2017〕42号 (《开展基层政务公开标准化规范化试点工作方案》, 2017-05) names 25 areas:
城乡规划、重大建设项目、公共资源交易、财政预决算、安全生产、税收管理、征地补偿、拆迁安置、
保障性住房、农村危房改造、环境保护、公共文化服务、公共法律服务、扶贫救灾、食品药品监管、
城市综合执法、就业创业、社会保险、社会救助、养老服务、户籍管理、涉农补贴、义务教育、医疗卫生、
市政服务 (as reported on the day of issue, http://m.wosku.com/dc/dd/2017-05-23/401253.html).
The State Council departments then issued one standard guideline per area, 扶贫 and 救灾
separately, which makes the 26 areas of 国办发〔2019〕54号; county plans list them under the
guidelines' names (e.g. 彰武县 2020: 国有土地上房屋征收与补偿, 卫生健康, 就业, …). Each area is
named here as the guideline names it, with the 2017 wording where it differs noted in `source`.
"""

from django.db import migrations

SOURCE = (
    "国办发〔2017〕42号《开展基层政务公开标准化规范化试点工作方案》；"
    "国办发〔2019〕54号（26个试点领域标准指引）"
)

# code, name, guideline (issuing department and title), name in the 2017 plan if different
AREAS = [
    ("urban-rural-planning", "城乡规划", "自然资源部《城乡规划领域基层政务公开标准指引》", ""),
    ("major-projects", "重大建设项目", "国家发展改革委《重大建设项目领域基层政务公开标准指引》", ""),
    ("public-resources-trading", "公共资源交易", "国家发展改革委《公共资源交易领域基层政务公开标准指引》", ""),
    ("budgets", "财政预决算", "财政部《财政预决算领域基层政务公开标准指引》", ""),
    ("work-safety", "安全生产", "应急管理部《安全生产领域基层政务公开标准指引》", ""),
    ("taxation", "税收管理", "税务总局《税收管理领域基层政务公开标准指引》", ""),
    ("land-expropriation", "征地补偿", "自然资源部《征地补偿领域基层政务公开标准指引》", ""),
    ("housing-expropriation", "国有土地上房屋征收与补偿", "住房城乡建设部《国有土地上房屋征收与补偿领域基层政务公开标准指引》", "拆迁安置"),
    ("affordable-housing", "保障性住房", "住房城乡建设部《保障性住房领域基层政务公开标准指引》", ""),
    ("rural-dilapidated-housing", "农村危房改造", "住房城乡建设部《农村危房改造领域基层政务公开标准指引》", ""),
    ("ecology-environment", "生态环境", "生态环境部《生态环境领域基层政务公开标准指引》", "环境保护"),
    ("public-culture", "公共文化服务", "文化和旅游部《公共文化服务领域基层政务公开标准指引》", ""),
    ("public-legal-services", "公共法律服务", "司法部《公共法律服务领域基层政务公开标准指引》", ""),
    ("poverty-alleviation", "扶贫", "国务院扶贫办《扶贫领域基层政务公开标准指引》", "扶贫救灾"),
    ("disaster-relief", "救灾", "应急管理部《救灾领域基层政务公开标准指引》", "扶贫救灾"),
    ("food-drug", "食品药品监管", "市场监管总局、国家药监局《食品药品监管领域基层政务公开标准指引》", ""),
    ("urban-enforcement", "城市综合执法", "住房城乡建设部《城市综合执法领域基层政务公开标准指引》", ""),
    ("employment", "就业", "人力资源社会保障部《就业领域基层政务公开标准指引》", "就业创业"),
    ("social-insurance", "社会保险", "人力资源社会保障部《社会保险领域基层政务公开标准指引》", ""),
    ("social-assistance", "社会救助", "民政部《社会救助领域基层政务公开标准指引》", ""),
    ("elderly-care", "养老服务", "民政部《养老服务领域基层政务公开标准指引》", ""),
    ("household-registration", "户籍管理", "公安部《户籍管理领域基层政务公开标准指引》", ""),
    ("agricultural-subsidies", "涉农补贴", "财政部、农业农村部《涉农补贴领域基层政务公开标准指引》", ""),
    ("compulsory-education", "义务教育", "教育部《义务教育领域基层政务公开标准指引》", ""),
    ("health", "卫生健康", "国家卫生健康委《卫生健康领域基层政务公开标准指引》", "医疗卫生"),
    ("municipal-services", "市政服务", "住房城乡建设部《市政服务领域基层政务公开标准指引》", ""),
]  # fmt: skip


def create(apps, schema_editor):
    Area = apps.get_model("catalogs", "Area")
    for order, (code, name, guideline, old_name) in enumerate(AREAS, 1):
        source = SOURCE + (f"（2017年方案称“{old_name}”）" if old_name else "")
        Area.objects.get_or_create(
            code=code,
            defaults={"name": name, "sort_order": order, "guideline": guideline, "source": source},
        )


def remove(apps, schema_editor):
    apps.get_model("catalogs", "Area").objects.filter(code__in=[a[0] for a in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogs", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
