"""
The fixed vocabularies: conditions treated, insurers and self-pay options.

Created by a data migration, and again by `load_sample_data`, because test
databases that are flushed between tests lose migration-created rows.
"""

CONDITIONS = [
    ("treatment-resistant-depression", "Treatment-resistant depression"),
    ("major-depressive-disorder", "Major depressive disorder"),
    ("depression-with-suicidal-ideation", "Depression with suicidal thoughts"),
    ("bipolar-depression", "Bipolar depression"),
    ("postpartum-depression", "Postpartum depression"),
    ("ptsd", "PTSD"),
    ("anxiety", "Anxiety"),
    ("ocd", "OCD"),
    ("chronic-pain", "Chronic pain"),
]

INSURERS = [
    ("aetna", "Aetna"),
    ("anthem", "Anthem (Elevance Health)"),
    ("bcbs", "Blue Cross Blue Shield"),
    ("cigna", "Cigna"),
    ("humana", "Humana"),
    ("kaiser", "Kaiser Permanente"),
    ("medicare", "Medicare"),
    ("medicaid", "Medicaid"),
    ("tricare", "Tricare"),
    ("unitedhealthcare", "UnitedHealthcare (Optum)"),
    ("va-community-care", "VA Community Care"),
]

SELF_PAY = [
    ("payment-plans", "Payment plans"),
    ("fsa-hsa", "FSA/HSA cards"),
    ("superbill", "Superbill for out-of-network claims"),
]


def ensure_vocabulary(Condition, Payer):
    """
    Create the vocabulary rows that are missing (models are passed so migrations
    can use it). Rows already there are left as they are: an editor may have
    renamed one, and `make run` loads the sample data at every start.
    """
    for position, (slug, name) in enumerate(CONDITIONS):
        Condition.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    for kind, payers in (("insurer", INSURERS), ("self-pay", SELF_PAY)):
        for position, (slug, name) in enumerate(payers):
            Payer.objects.get_or_create(
                slug=slug, defaults={"name": name, "kind": kind, "position": position}
            )
