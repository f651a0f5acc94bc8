"""Workbench routes of the participation consultations (included by workbench/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
