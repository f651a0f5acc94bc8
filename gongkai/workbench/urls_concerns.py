"""Workbench routes of the participation concerns (included by workbench/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
