"""Participation where the rest of the site meets it: the site search shows the region's
published answers beside the documents; the navigation reaches every public part."""

import pytest


@pytest.mark.django_db
def test_the_site_search_shows_published_answers(client, django_assert_max_num_queries):
    from gongkai.participation import demo_questions
    from gongkai.participation.models import Question

    demo_questions.load()
    published = Question.objects.filter(published_at__isnull=False).first()
    word = published.public_subject[:2]
    page = client.get("/search/", {"q": word}).content.decode()
    assert "互动问答" in page and f"/interaction/{published.number}/" in page
    assert published.name not in page


@pytest.mark.django_db
def test_every_public_page_links_consultations_and_interaction(client):
    page = client.get("/").content.decode()
    assert 'href="/consultations/"' in page and 'href="/interaction/"' in page


@pytest.mark.django_db
def test_a_published_answer_links_its_policy_and_the_policys_interpretation(
    client, publish, make_staff
):
    from gongkai.documents import services as document_services
    from gongkai.orgs.models import Membership
    from gongkai.participation import demo_questions
    from gongkai.participation.models import Question

    demo_questions.load()
    policy = publish(title="示范市义务教育阶段招生入学工作实施方案")
    explained = publish(title="《示范市义务教育阶段招生入学工作实施方案》政策解读")
    head = make_staff("示范市教育局", Membership.Role.OFFICE_HEAD)
    document_services.interpretation_set(
        actor=head, document=explained, policies=[policy], form="text"
    )
    q = Question.objects.filter(published_at__isnull=False).first()
    Question.objects.filter(pk=q.pk).update(policy=policy)
    page = client.get(f"/interaction/{q.number}/").content.decode()
    assert policy.title in page and explained.title in page


@pytest.mark.django_db
def test_a_reopened_published_answer_is_replaced_by_the_new_one(make_staff):
    from gongkai.orgs.models import Membership
    from gongkai.participation import demo_questions
    from gongkai.participation.models import Question
    from gongkai.participation.services import questions as services

    demo_questions.load()
    q = Question.objects.filter(published_at__isnull=False, source="web").first()
    services.question_rate(question=q, rating="unsatisfied", comment="没有回答我的问题")
    services.question_reopen(question=Question.objects.get(pk=q.pk))
    handler = make_staff(q.org.name, Membership.Role.REQUEST_HANDLER)
    head = make_staff(q.org.name, Membership.Role.OFFICE_HEAD)
    services.question_draft_answer(
        actor=handler, question=q, answer="补充答复：请联系13800138000咨询具体办理时间。"
    )
    services.question_approve_answer(actor=head, question=q)
    q.refresh_from_db()
    assert q.public_answer.startswith("补充答复") and "13800138000" not in q.public_answer


@pytest.mark.django_db
def test_staff_download_comment_attachments_of_their_own_consultations(org, make_staff, client):
    import datetime as dt

    from gongkai.orgs.models import Membership
    from gongkai.participation.services import consultations as services

    staff = make_staff("示范市教育局", Membership.Role.PUBLISHER)
    today = dt.date.today()
    c = services.consultation_create(
        actor=staff,
        org=org("示范市教育局"),
        data=services.ConsultationInput(
            title="征求意见稿", opens_on=today, closes_on=today + dt.timedelta(days=30),
            draft_text="正文",
        ),
    )  # fmt: skip
    c = services.consultation_open(actor=staff, consultation=c)
    m = services.comment_submit(
        consultation=c,
        data=services.CommentInput(
            name="李四", contact="13800138000", text="见附件",
            attachments=[("意见.txt", "附件里的意见".encode())],
        ),
    )  # fmt: skip
    f = m.attachments.get()
    url = f"/workbench/consultations/{c.pk}/attachments/{f.pk}/"
    client.force_login(staff)
    response = client.get(url)
    assert (
        response.status_code == 200
        and b"".join(response.streaming_content) == "附件里的意见".encode()
    )
    client.force_login(make_staff("示范市民政局", Membership.Role.PUBLISHER))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_workbench_names_messages_unanswered_for_three_months(org, make_staff, client):
    import datetime as dt

    from django.utils import timezone

    from gongkai.orgs.models import Membership
    from gongkai.participation.models import Question

    edu = org("示范市教育局")
    old = timezone.now() - dt.timedelta(days=120)
    Question.objects.create(
        number="LY-OLD-1", org=edu, addressed_to=edu, kind="enquiry", subject="旧留言",
        text="请问", name="张三", received_at=old, clock_start=old.date(),
        due_on=old.date() + dt.timedelta(days=7), status="accepted",
    )  # fmt: skip
    client.force_login(make_staff("示范市教育局", Membership.Role.REQUEST_HANDLER))
    page = client.get("/workbench/questions/").content.decode()
    assert "1 条有效留言超过三个月未答复" in page
    client.force_login(make_staff("示范市民政局", Membership.Role.REQUEST_HANDLER))
    assert "超过三个月未答复" not in client.get("/workbench/questions/").content.decode()


@pytest.mark.django_db
def test_the_decision_document_links_back_to_its_consultation_and_feedback(
    org, make_staff, publish, client
):
    from gongkai.orgs.models import Membership
    from gongkai.participation import demo_consultations
    from gongkai.participation.models import Consultation
    from gongkai.participation.services import consultations as services

    demo_consultations.load()
    c = Consultation.objects.get(status="feedback_published")
    decision = publish(title="示范市学前教育收费管理办法")
    staff = make_staff("示范市教育局", Membership.Role.PUBLISHER)
    services.consultation_link_decision(actor=staff, consultation=c, document=decision)
    page = client.get(f"/documents/{decision.index_number}/").content.decode()
    assert f"/consultations/{c.pk}/" in page and "意见采纳情况" in page
    back = client.get(f"/consultations/{c.pk}/").content.decode()
    assert decision.title in back
