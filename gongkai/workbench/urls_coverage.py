"""Workbench routes of catalog coverage (included by workbench/urls.py)."""

from django.urls import path

from . import coverage_views

urlpatterns: list = [
    path("", coverage_views.coverage_region, name="coverage"),
    path("region.xlsx", coverage_views.coverage_region_xlsx, name="coverage_region_xlsx"),
    path("org/", coverage_views.coverage_org, name="coverage_org"),
    path("org.xlsx", coverage_views.coverage_org_xlsx, name="coverage_org_xlsx"),
]
