"""Workbench routes of the website and new-media register (included by workbench/urls.py)."""

from django.urls import path

from . import sites_views

urlpatterns: list = [
    path("", sites_views.site_list, name="sites"),
    path("register.xlsx", sites_views.site_xlsx, name="sites_xlsx"),
    path("new/", sites_views.site_propose_open, name="site_propose_open"),
    path("requests/", sites_views.site_requests, name="site_requests"),
    path("requests/<int:pk>/", sites_views.site_request, name="site_request"),
    path("requests/<int:pk>/action/", sites_views.site_request_action, name="site_request_action"),
    path("<int:pk>/", sites_views.site_detail, name="site_detail"),
    path("<int:pk>/change/", sites_views.site_propose_change, name="site_propose_change"),
    path("<int:pk>/close/", sites_views.site_close, name="site_close"),
    path("<int:pk>/record/", sites_views.site_record, name="site_record"),
]
