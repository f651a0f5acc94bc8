from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One published document in the database backends' index, or another kind of entry an
    app registered (`kind`, `object_id`: a published Q&A of the knowledge base).

    Entries are created in publication order, so the primary key orders them newest-last:
    "newest first" is a walk down the primary key, which both engines do without sorting. The
    columns are what facets are counted on; the terms themselves live in SQLite's FTS5 table
    `search_fts` (rowid = id) or in `vector` on PostgreSQL (with a GIN index).
    """

    id = models.BigAutoField(primary_key=True)
    document = models.OneToOneField(
        "documents.Document", null=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    kind = models.CharField(max_length=16, blank=True, default="")  # "" for a document
    object_id = models.BigIntegerField(null=True)
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        "documents.Category", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    doc_type = models.CharField(max_length=32)
    validity = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    date_signed = models.DateField(db_index=True)
    vector = SearchVectorField(null=True)
    # How the entry's text was analysed (tokens.ANALYSIS): entries written before bigram
    # bodies are 1, and while any remain queries also match their words (tokens.Query.legacy);
    # those written before SQLite's marked titles are 2 (tokens.Query.unmarked).
    analysis = models.PositiveSmallIntegerField(default=3)

    class Meta:
        verbose_name = "search entry"
        indexes = [
            # "Is any entry of an older analysis left?" answered without a scan.
            models.Index(
                fields=["analysis"],
                name="search_entry_old_analysis",
                condition=models.Q(analysis__lt=3),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                condition=models.Q(object_id__isnull=False),
                name="search_entry_object",
            ),
            # Exactly one of: a document, or another kind's object.
            models.CheckConstraint(
                condition=(models.Q(kind="", document__isnull=False, object_id__isnull=True))
                | (~models.Q(kind="") & models.Q(document__isnull=True, object_id__isnull=False)),
                name="search_entry_target",
            ),
        ]

    def __str__(self):
        return f"search entry {self.id} (document {self.document_id})"
