"""Workbench routes of the site self-check (included by workbench/urls.py)."""

urlpatterns: list = []
