"""Public routes of questions and answers, mounted at /interaction/."""

from django.urls import path

from .. import question_views as views

app_name = "interaction"
urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("ask/done/", views.ask_done, name="ask_done"),
    path("similar/", views.similar, name="similar"),
    path("track/", views.track, name="track"),
    path("track/rate/", views.track_rate, name="track_rate"),
    path("track/reopen/", views.track_reopen, name="track_reopen"),
    path("<str:number>/", views.detail, name="detail"),
]
