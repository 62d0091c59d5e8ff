from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Guide
from clinics.models import Clinic
from clinics.stats import states_with_clinics


class StaticSitemap(Sitemap):
    def items(self):
        return ["home", "clinics:list", "articles:list", "policies:about", "policies:privacy"]

    def location(self, item):
        return reverse(item)


class ClinicSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Clinic.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, clinic):
        return clinic.updated_at


class PlaceSitemap(Sitemap):
    """State pages and city pages with listed clinics."""

    limit = 5000

    def items(self):
        places = [(code.lower(), None) for code, _, _ in states_with_clinics()]
        cities = (
            Clinic.objects.published()
            .values_list("state", "city_slug")
            .distinct()
            .order_by("state", "city_slug")
        )
        return places + [(state.lower(), city) for state, city in cities]

    def location(self, place):
        state, city = place
        if city:
            return reverse("clinics:city", args=[state, city])
        return reverse("clinics:state", args=[state])


class GuideSitemap(Sitemap):
    def items(self):
        return Guide.objects.visible().only("slug", "modified_at").order_by("pk")

    def lastmod(self, guide):
        return guide.modified_at


SITEMAPS = {
    "static": StaticSitemap,
    "clinics": ClinicSitemap,
    "places": PlaceSitemap,
    "guides": GuideSitemap,
}
