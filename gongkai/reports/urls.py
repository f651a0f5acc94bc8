from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.all_reports, name="all"),
    path("<str:code>/", views.org_reports, name="org_reports"),
    path("<str:code>/<int:year>/", views.report_detail, name="report"),
    path("<str:code>/<int:year>.<str:fmt>", views.report_file, name="report_file"),
]
