from django.contrib import admin
from django.urls import include, path

from clinics import views as clinic_views

urlpatterns = [
    path("", clinic_views.home, name="home"),
    path("clinics/", include("clinics.urls")),
    path("admin/", admin.site.urls),
]
