from django.urls import path

from articles import views
from articles.feeds import LatestGuidesFeed

app_name = "articles"

urlpatterns = [
    path("", views.guide_list, name="list"),
    path("feed/", LatestGuidesFeed(), name="feed"),
    path("<slug:slug>/", views.guide_detail, name="detail"),
]
