from django.urls import path

from clinics import views

app_name = "clinics"

urlpatterns = [
    path("", views.clinic_list, name="list"),
    path("find/", views.find, name="find"),
    path("compare/", views.compare, name="compare"),
    path("in/<str:state>/", views.clinic_list, name="state"),
    path("in/<str:state>/<slug:city_slug>/", views.clinic_list, name="city"),
    path("<slug:slug>/", views.clinic_detail, name="detail"),
]
