"""Workbench routes of consultations (included by workbench/urls.py at /workbench/consultations/)."""

from django.urls import path

from . import consultation_views as views

urlpatterns = [
    path("", views.consultations, name="consultations"),
    path("new/", views.consultation_new, name="consultation_new"),
    path("decisions/", views.decision_items, name="decision_items"),
    path("<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("<int:pk>/action/", views.consultation_action, name="consultation_action"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.comment_attachment,
        name="comment_attachment",
    ),
]
