from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.org_directory, name="org_directory"),
    path("orgs/<str:code>/", views.org_detail, name="org_detail"),
    path("orgs/<str:code>/guide/", views.org_guide, name="org_guide"),
    # Index numbers contain "/" (41604893X/2018-01173).
    path("documents/<path:index_number>/", views.document_detail, name="document_detail"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("calendar/", views.calendar, name="calendar"),
    path("prefs/text-size/", views.text_size, name="text_size"),
]
