"""The people app's reader pages: the lists. A person's and a race's own pages
list stories too, so they come from `articles.people_pages`, joined to these
under the `people` namespace in `newsroom.urls`."""

from django.urls import path

from people import results_views, views

app_name = "people"

urlpatterns = [
    path("people/", views.PersonListView.as_view(), name="list"),
    path("races/", views.RaceListView.as_view(), name="race-list"),
    path(
        "races/<slug:slug>/results.json",
        results_views.RaceResultsJSONView.as_view(),
        name="race-results",
    ),
]
