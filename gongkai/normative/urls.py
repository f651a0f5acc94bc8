from django.urls import path

from . import views

app_name = "normative"
urlpatterns = [
    path("", views.database, name="database"),
    path("compile/", views.compile_view, name="compile"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
]
