from django.urls import path

from .. import consultation_views as views

app_name = "consultations"
urlpatterns = [
    path("", views.index, name="index"),
    path("decisions/", views.decisions, name="decisions"),
    path("<int:pk>/", views.detail, name="detail"),
]
