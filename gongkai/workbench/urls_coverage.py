"""Workbench routes of catalog coverage (included by workbench/urls.py)."""

urlpatterns: list = []
