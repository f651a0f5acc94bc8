"""RSS 2.0 and Atom feeds of the newest publications, per organisation and per column."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from gongkai.documents import selectors as document_selectors
from gongkai.orgs import selectors as org_selectors

ITEMS = 50


class _DocumentFeed(Feed):
    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [item.org.name, item.document_number, item.summary]
        return " · ".join(p for p in parts if p)

    def item_pubdate(self, item):
        return item.published_at

    def item_guid(self, item):
        return item.index_number

    item_guid_is_permalink = False


class OrgFeed(_DocumentFeed):
    def get_object(self, request, code):
        return org_selectors.org_get_public(code=code)

    def title(self, org):
        return _("%(name)s 最新公开信息") % {"name": org.name}

    def link(self, org):
        return org.get_absolute_url()

    def description(self, org):
        return _("%(name)s（含内设机构和下属单位）主动公开的政府信息。") % {"name": org.name}

    def items(self, org):
        return document_selectors.published_documents(org_code=org.code)[:ITEMS]


class OrgAtomFeed(OrgFeed):
    feed_type = Atom1Feed
    subtitle = OrgFeed.description


class ColumnFeed(_DocumentFeed):
    def get_object(self, request, slug):
        return document_selectors.column_get_public(slug=slug)

    def title(self, column):
        return _("%(name)s 专栏最新信息") % {"name": column.name}

    def link(self, column):
        from django.urls import reverse

        return reverse("portal:column_detail", args=[column.slug])

    def description(self, column):
        return column.description or column.name

    def items(self, column):
        return document_selectors.published_documents(column=column.slug)[:ITEMS]


class ColumnAtomFeed(ColumnFeed):
    feed_type = Atom1Feed
    subtitle = ColumnFeed.description


class GazetteFeed(Feed):
    """政府公报: the newest published issues."""

    def title(self):
        from django.conf import settings

        return _("%(site)s 政府公报") % {"site": settings.GONGKAI_SITE_NAME}

    def link(self):
        from django.urls import reverse

        return reverse("portal:gazette")

    def description(self):
        return _("新出版的政府公报各期及其目录。")

    def items(self):
        return document_selectors.gazette_issues_public()[:ITEMS]

    def item_title(self, issue):
        return _("%(org)s公报 %(issue)s") % {"org": issue.org.name, "issue": issue}

    def item_description(self, issue):
        total = _("总第%(t)s期") % {"t": issue.total_number} if issue.total_number else ""
        return " · ".join(p for p in (total, issue.issue_date.isoformat()) if p)

    def item_link(self, issue):
        return issue.get_absolute_url()

    def item_pubdate(self, issue):
        return issue.published_at
