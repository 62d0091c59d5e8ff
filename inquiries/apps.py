from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    """Patients' messages to a clinic: health data, read only by its staff and the editors."""

    name = "inquiries"
    verbose_name = "Patient inquiries"
