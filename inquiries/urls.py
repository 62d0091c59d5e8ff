from django.urls import path

from inquiries import views

app_name = "inquiries"

# Included at the site's root: the form belongs with the clinic's public page,
# the inbox with the staff's account pages.
urlpatterns = [
    path("clinics/<slug:slug>/contact/", views.contact, name="contact"),
    path("clinics/<slug:slug>/contact/sent/", views.sent, name="sent"),
    path("account/clinics/<slug:slug>/inquiries/", views.inbox, name="inbox"),
    path("account/clinics/<slug:slug>/inquiries/<int:pk>/", views.detail, name="detail"),
    path("account/clinics/<slug:slug>/inquiries/<int:pk>/delete/", views.delete, name="delete"),
]
