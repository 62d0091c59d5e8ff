from django.urls import path

from policies import views

app_name = "policies"

urlpatterns = [
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
]
