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
