"""Workbench routes of the participation concerns (included by workbench/urls.py)."""

from django.urls import path

from . import concern_views

urlpatterns: list = [
    path("", concern_views.concern_list, name="concerns"),
    path("new/", concern_views.concern_create, name="concern_create"),
    path("ledger.xlsx", concern_views.concern_xlsx, name="concerns_xlsx"),
    path("<int:pk>/", concern_views.concern_detail, name="concern_detail"),
    path("<int:pk>/edit/", concern_views.concern_edit, name="concern_edit"),
    path("<int:pk>/action/", concern_views.concern_action, name="concern_action"),
]
