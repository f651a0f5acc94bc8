"""An interpretation links only policies in the actor's reach (issue 14, finding 7): a
publisher of 民政局 linked 教育局's policy and named 教育局 responsible, which then counted in
教育局's interpretation ledger."""

import pytest

from gongkai.core.exceptions import ApplicationError
from gongkai.documents import services
from gongkai.documents.models import Interpretation


def test_another_organisations_policy_cannot_be_linked(publish, org):
    policy = publish("示范市教育局", "关于做好义务教育招生工作的通知")
    explainer = publish("示范市民政局", "一图读懂招生政策")
    civil_publisher = publish.staff["示范市民政局"][0]
    with pytest.raises(ApplicationError) as refused:
        services.interpretation_set(
            actor=civil_publisher,
            document=explainer,
            form="graphic",
            responsible_org=org("示范市教育局"),
            policies=[policy],
        )
    assert refused.value.code == "policy_out_of_reach"
    assert not Interpretation.objects.filter(document=explainer).exists()


def test_another_organisation_cannot_be_named_responsible(publish, org):
    policy = publish("示范市民政局", "关于调整城乡低保标准的通知")
    explainer = publish("示范市民政局", "低保标准调整问答")
    civil_publisher = publish.staff["示范市民政局"][0]
    with pytest.raises(ApplicationError) as refused:
        services.interpretation_set(
            actor=civil_publisher,
            document=explainer,
            form="qa",
            responsible_org=org("示范市教育局"),
            policies=[policy],
        )
    assert refused.value.code == "responsible_out_of_reach"
    linked = services.interpretation_set(
        actor=civil_publisher, document=explainer, form="qa", policies=[policy]
    )
    assert linked.responsible_org == org("示范市民政局")  # 谁起草、谁解读
