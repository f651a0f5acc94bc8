from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("orgs/", views.org_directory, name="org_directory"),
    path("orgs/<str:code>/", views.org_detail, name="org_detail"),
    path("orgs/<str:code>/guide/", views.org_guide, name="org_guide"),
    path("orgs/<str:code>/catalog/", views.catalog, name="catalog"),
    path("orgs/<str:code>/feed.rss", feeds.OrgFeed(), name="org_feed_rss"),
    path("orgs/<str:code>/feed.atom", feeds.OrgAtomFeed(), name="org_feed_atom"),
    path("columns/", views.column_list, name="column_list"),
    path("columns/<slug:slug>/", views.column_detail, name="column_detail"),
    path("columns/<slug:slug>/feed.rss", feeds.ColumnFeed(), name="column_feed_rss"),
    path("columns/<slug:slug>/feed.atom", feeds.ColumnAtomFeed(), name="column_feed_atom"),
    # Index numbers contain "/" (41604893X/2018-01173); the print view's suffix comes first.
    path("documents/<path:index_number>/print/", views.document_print, name="document_print"),
    path("documents/<path:index_number>/pdf/", views.document_pdf, name="document_pdf"),
    path("documents/<path:index_number>/", views.document_detail, name="document_detail"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("calendar/", views.calendar, name="calendar"),
    path("gazette/", views.gazette_archive, name="gazette"),
    # One site may carry the gazettes of several governments: the organisation code comes first.
    path("gazette/<str:code>/<int:year>/<int:number>/", views.gazette_issue, name="gazette_issue"),
    path("gazette/<str:code>/<int:year>/<int:number>.pdf", views.gazette_pdf, name="gazette_pdf"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("prefs/text-size/", views.text_size, name="text_size"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
