"""Two officials opening the same area's draft at the same moment: one draft, one clear refusal,
never a constraint error (a 500)."""

import threading

import pytest
from django.db import connection

from gongkai.catalogs import services
from gongkai.catalogs.models import Catalog
from gongkai.core.exceptions import ApplicationError

from .helpers import EAST, OP, area, org


@pytest.mark.transactional
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_data")  # an earlier transactional test may have emptied the database
def test_concurrent_draft_creation_yields_one_draft_and_a_clear_refusal():
    east, relief = org(EAST), area("社会救助")
    barrier = threading.Barrier(6)
    outcomes: list = []

    def create():
        try:
            barrier.wait()
            catalog = services.catalog_create(actor=OP, org=east, area=relief)
            outcomes.append(("created", catalog.version))
        except ApplicationError as exc:
            outcomes.append(("refused", exc.code))
        except Exception as exc:  # anything else is the bug this test is about
            outcomes.append(("error", repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [("created", 1)] + [("refused", "draft_exists")] * 5, outcomes
    assert Catalog.objects.filter(org=east, area=relief).count() == 1
