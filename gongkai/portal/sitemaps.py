"""sitemap.xml: an index of sections, each at most 50,000 addresses (the protocol's limit).

Every public section is listed: the portal's pages, the 信息公开 columns of each organisation,
documents, gazette issues, work plans, and the pages of the other public apps (normative
documents, requests, participation, annual reports, statistics)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.documents.models import Document
from gongkai.documents.selectors import gazette_issues_public
from gongkai.documents.workflow import Status
from gongkai.orgs.selectors import directory_governments, org_public_list


class DocumentSitemap(Sitemap):
    changefreq = "yearly"
    limit = 50_000

    def items(self):
        return (
            Document.objects.filter(status=Status.PUBLISHED)
            .only("index_number", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at


# Each organisation's pages: its profile, guide, catalog and the other 信息公开 columns.
ORG_PAGES = (
    "portal:org_detail",
    "portal:org_guide",
    "portal:catalog",
    "portal:org_rules",
    "portal:org_request",
    "portal:org_interpretations",
    "portal:org_notices",
    "reports:org_reports",
)


class OrgSitemap(Sitemap):
    changefreq = "weekly"
    limit = 50_000

    def items(self):
        codes = org_public_list().order_by("pk").values_list("code", flat=True)
        return [(name, code) for code in codes for name in ORG_PAGES]

    def location(self, item):
        name, code = item
        return reverse(name, args=[code])


# The public sections' entry pages, in the order of the site's navigation.
SECTIONS = (
    "portal:home",
    "portal:disclosure",
    "foi:apply",
    "foi:track",
    "portal:interpretations",
    "normative:database",
    "portal:gazette",
    "consultations:index",
    "consultations:decisions",
    "interaction:index",
    "portal:column_list",
    "portal:plans",
    "reports:all",
    "statistics",
    "portal:search",
    "portal:org_directory",
    "portal:directories",
    "portal:calendar",
    "portal:contact",
    "portal:sitemap_html",
)


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return list(SECTIONS)

    def location(self, item):
        return reverse(item)


class DirectorySitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return [org.code for org in directory_governments()]

    def location(self, item):
        return reverse("portal:directory", args=[item])


class GazetteSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return gazette_issues_public().order_by("pk")  # with its organisation (the address)

    def location(self, item):
        return item.get_absolute_url()


class PlanSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        from gongkai.supervision.selectors import public_plans

        return list(public_plans().order_by("pk").values_list("pk", flat=True))

    def location(self, item):
        return reverse("portal:plan_detail", args=[item])


SITEMAPS = {
    "pages": StaticSitemap,
    "orgs": OrgSitemap,
    "directories": DirectorySitemap,
    "documents": DocumentSitemap,
    "gazette": GazetteSitemap,
    "plans": PlanSitemap,
}
