from django.urls import path

from people import results_views, views

app_name = "people"

urlpatterns = [
    path("people/", views.PersonListView.as_view(), name="list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="detail"),
    path("races/", views.RaceListView.as_view(), name="race-list"),
    path("races/<slug:slug>/", views.RaceDetailView.as_view(), name="race-detail"),
    path(
        "races/<slug:slug>/results.json",
        results_views.RaceResultsJSONView.as_view(),
        name="race-results",
    ),
]
