from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One published document in the database backends' index.

    Entries are created in publication order, so the primary key orders them newest-last:
    "newest first" is a walk down the primary key, which both engines do without sorting. The
    columns are what facets are counted on; the terms themselves live in SQLite's FTS5 table
    `search_fts` (rowid = id) or in `vector` on PostgreSQL (with a GIN index).
    """

    id = models.BigAutoField(primary_key=True)
    document = models.OneToOneField(
        "documents.Document", on_delete=models.CASCADE, related_name="search_entry"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        "documents.Category", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    doc_type = models.CharField(max_length=32)
    validity = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    date_signed = models.DateField(db_index=True)
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "search entry"

    def __str__(self):
        return f"search entry {self.id} (document {self.document_id})"
