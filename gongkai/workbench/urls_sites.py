"""Workbench routes of the website and new-media register (included by workbench/urls.py)."""

urlpatterns: list = []
