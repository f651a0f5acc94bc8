from django.contrib.auth import views as auth_views
from django.urls import path

from . import document_views, foi_views, normative_views, views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("orgs/<str:code>/profile/", views.org_profile_edit, name="org_profile_edit"),
    path("orgs/<str:code>/guide/", views.org_guide_edit, name="org_guide_edit"),
    path("audit/", views.audit_log, name="audit_log"),
    path("documents/", document_views.document_list, name="documents"),
    path("ledger/", document_views.ledger, name="ledger"),
    path("ledger.xlsx", document_views.ledger_xlsx, name="ledger_xlsx"),
    path("documents/new/", document_views.document_create, name="document_create"),
    path("documents/<int:pk>/", document_views.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", document_views.document_edit, name="document_edit"),
    path(
        "documents/<int:pk>/transition/",
        document_views.document_transition,
        name="document_transition",
    ),
    path("requests/", foi_views.request_queues, name="requests"),
    path("requests/new/", foi_views.request_register, name="request_register"),
    path("requests/letters/<int:pk>.<str:fmt>", foi_views.request_letter, name="request_letter"),
    path("requests/<str:number>/", foi_views.request_detail, name="request_detail"),
    path("requests/<str:number>/action/", foi_views.request_action, name="request_action"),
    path("documents/<int:pk>/mask/", document_views.document_mask, name="document_mask"),
    path(
        "documents/<int:pk>/attachments/",
        document_views.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "documents/<int:pk>/attachments/<int:attachment_pk>/remove/",
        document_views.attachment_remove,
        name="attachment_remove",
    ),
    path("normative/", normative_views.normative, name="normative"),
    path("normative/register/", normative_views.normative_register, name="normative_register"),
    path("normative/relations/", normative_views.normative_relation, name="normative_relation"),
    path(
        "normative/campaigns/new/",
        normative_views.campaign_create,
        name="normative_campaign_create",
    ),
    path(
        "normative/campaigns/<int:pk>/",
        normative_views.campaign_detail,
        name="normative_campaign",
    ),
    path(
        "normative/campaigns/<int:pk>/decide/",
        normative_views.campaign_decide,
        name="normative_campaign_decide",
    ),
    path(
        "normative/campaigns/<int:pk>/publish/",
        normative_views.campaign_publish,
        name="normative_campaign_publish",
    ),
    path("interpretations/", normative_views.interpretations, name="interpretations"),
    path(
        "interpretations.xlsx",
        normative_views.interpretations_xlsx,
        name="interpretations_xlsx",
    ),
    path("interpretations/set/", normative_views.interpretation_set, name="interpretation_set"),
    path("interpretations/flag/", normative_views.interpretation_flag, name="interpretation_flag"),
    path("gazette/", normative_views.gazette, name="gazette"),
    path("gazette/new/", normative_views.gazette_issue_create, name="gazette_issue_create"),
    path("gazette/<int:pk>/", normative_views.gazette_issue, name="gazette_issue"),
    path("gazette/<int:pk>/entries/", normative_views.gazette_entry_add, name="gazette_entry_add"),
    path("gazette/<int:pk>/pdf/", normative_views.gazette_pdf_upload, name="gazette_pdf_upload"),
    path("gazette/<int:pk>/publish/", normative_views.gazette_publish, name="gazette_publish"),
]
