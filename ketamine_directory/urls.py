from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from clinics import views as clinic_views
from ketamine_directory import views
from ketamine_directory.sitemaps import SITEMAPS

urlpatterns = [
    path("", clinic_views.home, name="home"),
    path("", include("inquiries.urls")),
    path("", include("listings.report_urls")),
    path("clinics/", include("clinics.urls")),
    path("guides/", include("articles.urls")),
    path("", include("policies.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon),
    path("healthz", views.healthz, name="healthz"),
    path("account/", include("accounts.urls")),
    path("account/", include("listings.urls")),
    path("admin/", admin.site.urls),
]
