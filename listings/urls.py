from django.urls import path

from listings import views

app_name = "listings"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("add-clinic/", views.add_clinic, name="add_clinic"),
    path("claim/<slug:slug>/", views.claim, name="claim"),
    path("claim/confirm/<str:token>/", views.claim_confirm, name="claim_confirm"),
    # Where the link leads, without its token.
    path("claim-confirm/", views.claim_confirm_opened, name="claim_confirm_opened"),
    path("clinics/<slug:slug>/", views.edit, name="edit"),
    path("clinics/<slug:slug>/history/", views.history, name="history"),
    path("clinics/<slug:slug>/leave/", views.leave, name="leave"),
]
