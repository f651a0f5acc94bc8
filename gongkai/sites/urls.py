"""Public routes of the register of websites and new-media accounts, mounted at /sites/."""

from django.urls import path

from . import views

app_name = "sites"
urlpatterns: list = [
    path("", views.index, name="index"),
]
