"""The public side of listings: a visitor reports that a clinic's listing looks wrong."""

from django.urls import path

from listings import views

app_name = "reports"

urlpatterns = [
    path("clinics/<slug:slug>/report/", views.report_problem, name="new"),
    path("clinics/<slug:slug>/report/sent/", views.report_problem_sent, name="sent"),
]
