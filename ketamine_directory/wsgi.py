import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketamine_directory.settings")

application = get_wsgi_application()

# Load the ZIP code table now rather than in a visitor's first near-ZIP search.
from clinics.geo import locate_zip  # noqa: E402

locate_zip("10001")
