"""Workbench routes of the participation questions (included by workbench/urls.py)."""

from django.urls import path

from . import question_views as views

urlpatterns = [
    path("", views.question_list, name="questions"),
    path("tokens/", views.question_tokens, name="question_tokens"),
    path("tokens/<int:pk>/revoke/", views.question_token_revoke, name="question_token_revoke"),
    path("<str:number>/", views.question_detail, name="question_detail"),
    path("<str:number>/action/", views.question_action, name="question_action"),
    path("<str:number>/publish/", views.question_publish, name="question_publish"),
]
