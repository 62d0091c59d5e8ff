import json

import pytest
from django.db import connection

from clinics.models import Offering
from tests.builders import make_clinic

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="extended statistics are PostgreSQL's own"
    ),
]


def test_postgresql_knows_a_route_decides_its_prices():
    # As in the directory: no Spravato session under $600, at-home ones far below.
    for number in range(60):
        make_clinic(offerings={"spravato": (600 + number, 900), "at-home": (130 + number, 250)})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clinics_offering")

    plan = json.loads(
        Offering.objects.filter(route="spravato", price_min__lte=595).explain(format="json")
    )

    # Taken column by column, half the offerings are Spravato and half cost at
    # most $595: 30 rows, and the empty-results checks would scan the table.
    assert plan[0]["Plan"]["Plan Rows"] <= 2
