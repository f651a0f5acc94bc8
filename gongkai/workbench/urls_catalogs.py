"""Workbench routes of the standard disclosure catalogs (included by workbench/urls.py)."""

urlpatterns: list = []
