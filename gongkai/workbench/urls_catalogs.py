"""Workbench routes of the standard disclosure catalogs (included by workbench/urls.py at
/workbench/catalogs/; /workbench/catalogs/coverage/ is the coverage pages')."""

from django.urls import path

from . import catalog_views as views

urlpatterns = [
    path("", views.catalogs, name="catalogs"),
    path("import/", views.catalog_import, name="catalog_import"),
    path("adapt/", views.catalog_adapt, name="catalog_adapt"),
    path("new/", views.catalog_create, name="catalog_create"),
    path("reviews/", views.catalog_reviews, name="catalog_reviews"),
    path("<int:pk>/", views.catalog_detail, name="catalog_detail"),
    path("<int:pk>/export.xlsx", views.catalog_export, name="catalog_export"),
    path("<int:pk>/action/", views.catalog_action, name="catalog_action"),
    path("<int:pk>/review/", views.catalog_review, name="catalog_review"),
    path("<int:pk>/items/new/", views.item_new, name="catalog_item_new"),
    path("<int:pk>/items/<int:item_pk>/", views.item_edit, name="catalog_item"),
]
