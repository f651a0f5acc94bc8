from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import feeds, info_views, views
from .sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("orgs/", views.org_directory, name="org_directory"),
    # 信息公开: the column set of the region and of each organisation.
    path("disclosure/", info_views.disclosure_home, name="disclosure"),
    path("interpretations/", info_views.interpretations, name="interpretations"),
    path("orgs/<str:code>/rules/", info_views.org_rules, name="org_rules"),
    path("orgs/<str:code>/request/", info_views.org_request, name="org_request"),
    path(
        "orgs/<str:code>/interpretations/",
        info_views.org_interpretations,
        name="org_interpretations",
    ),
    path("orgs/<str:code>/notices/", info_views.org_notices, name="org_notices"),
    path("orgs/<str:code>/poster/", info_views.poster, name="poster"),
    path("orgs/<str:code>/poster.pdf", info_views.poster_pdf, name="poster_pdf"),
    # 机构职能目录: one per government (its level), as a page, DOCX and PDF.
    path("directory/", info_views.directory_index, name="directories"),
    path("directory/<str:code>/", info_views.directory, name="directory"),
    path("directory/<str:code>.docx", info_views.directory_docx, name="directory_docx"),
    path("directory/<str:code>.pdf", info_views.directory_pdf, name="directory_pdf"),
    path("contact/", info_views.contact, name="contact"),
    path("sitemap/", info_views.sitemap_page, name="sitemap_html"),
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
    path("gazette/feed.rss", feeds.GazetteFeed(), name="gazette_feed_rss"),
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
