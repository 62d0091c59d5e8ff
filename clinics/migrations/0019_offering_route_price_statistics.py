from django.db import migrations

# PostgreSQL plans each column's filter as if it were independent of the
# others, but a route decides its prices: no Spravato session costs under $600.
# Without these statistics, "Spravato at most $595" was estimated at 28,000
# offerings instead of none, and the empty-results page's "would this search
# find a clinic?" checks read the whole offering table (22 ms each at 100,000
# clinics) instead of one index page. The list of (route, price) pairs covers
# up to 1,000 of them; a directory's prices are round numbers, far fewer.
CREATE = """
CREATE STATISTICS IF NOT EXISTS offering_route_price_stats (mcv)
    ON route, price_min FROM clinics_offering;
ALTER STATISTICS offering_route_price_stats SET STATISTICS 1000;
ANALYZE clinics_offering;
"""
DROP = "DROP STATISTICS IF EXISTS offering_route_price_stats;"


def run_on_postgresql(sql):
    def run(apps, schema_editor):
        # SQLite has no extended statistics; its planner does without.
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0018_shared_phone_and_length_checks"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP), elidable=False),
    ]
