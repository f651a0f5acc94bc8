"""Workbench routes of the site self-check (included by workbench/urls.py)."""

from django.urls import path

from . import sitecheck_views as views

urlpatterns = [
    path("", views.sitecheck_home, name="sitecheck"),
    path("run/", views.sitecheck_run, name="sitecheck_run"),
    path("columns/", views.sitecheck_columns, name="sitecheck_columns"),
    path("columns/<int:pk>/", views.sitecheck_column_update, name="sitecheck_column_update"),
    path("<int:pk>/", views.sitecheck_run_detail, name="sitecheck_run_detail"),
]
