"""sitemap.xml: an index of sections, each at most 50,000 addresses (the protocol's limit)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.documents.models import Document
from gongkai.documents.workflow import Status
from gongkai.orgs.selectors import org_public_list


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


class OrgSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return org_public_list().only("code").order_by("pk")

    def location(self, item):
        return reverse("portal:catalog", args=[item.code])


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["portal:home", "portal:search", "portal:column_list", "portal:org_directory"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": StaticSitemap, "orgs": OrgSitemap, "documents": DocumentSitemap}
