"""A small directory of known clinics, shared by the directory's tests."""

from tests.builders import make_clinic


def make_texas_and_colorado():
    """Two Austin clinics (no KAP), Houston's KAP 146 miles away, and Denver."""
    return {
        "austin_iv": make_clinic(
            "Austin Infusions",
            slug="austin-iv",
            offerings={"iv": (400, 450), "spravato": (700, 900)},
            payers=[("aetna", "spravato"), "payment-plans"],
            conditions=["treatment-resistant-depression", "ptsd"],
        ),
        "austin_cheap": make_clinic(
            "Budget Ketamine",
            slug="austin-cheap",
            offerings={"at-home": (150, 200)},
            payers=["fsa-hsa"],
            telehealth=True,
            zip_code="78704",
        ),
        "houston": make_clinic(
            "Houston Mood",
            slug="houston",
            city="Houston",
            zip_code="77002",
            offerings={"iv": (550, 650), "kap": (600, 800)},
            payers=[("cigna", "")],
            conditions=["anxiety"],
        ),
        "denver": make_clinic(
            "Denver Spravato",
            slug="denver",
            city="Denver",
            state="CO",
            zip_code="80202",
            offerings={"spravato": (650, 850), "im": (300, 400)},
            payers=[("aetna", "spravato"), ("medicare", "spravato")],
        ),
    }
