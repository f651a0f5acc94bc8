"""Public routes of the standard disclosure catalogs, mounted at /catalogs/."""

from django.urls import path

from . import views

app_name = "catalogs"
urlpatterns: list = [
    path("", views.index, name="index"),
    path("<str:code>/", views.org_catalogs, name="org"),
    path("<str:code>/<str:area>/", views.area_catalog, name="area"),
]
