"""Visitors' reports that a listing looks wrong: kept for the editors, who are told of each."""

from django.urls import reverse

from ketamine_directory.outgoing_mail import tell_managers
from ketamine_directory.throttle import AddressThrottle

# Reports from one network address: plenty for a person, too few to flood the editors.
SENT = AddressThrottle("listings:reports", limit=5, window=60 * 60)


def tell_editors(request, report):
    # What is wrong and where, not the visitor's words: those stay in the admin.
    admin_url = request.build_absolute_uri(
        reverse("admin:listings_listingreport_change", args=[report.pk])
    )
    # Not sent, the report still waits in the admin.
    tell_managers(
        f"the editors' notice of report #{report.pk}",
        f"Listing problem reported: {report.clinic.name}",
        f"{report.get_problem_display()} on {report.clinic.name} "
        f"({report.clinic.city}, {report.clinic.state}).\nSee the report: {admin_url}\n",
    )
