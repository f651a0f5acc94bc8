from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("orgs/<str:code>/profile/", views.org_profile_edit, name="org_profile_edit"),
    path("orgs/<str:code>/guide/", views.org_guide_edit, name="org_guide_edit"),
    path("audit/", views.audit_log, name="audit_log"),
]
