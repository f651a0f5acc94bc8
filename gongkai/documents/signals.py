"""What the documents app announces, for the apps above it to act on.

Documents sit below search in the layering (README § Layout): they do not call the index, they
say what changed and search, listening since its `ready()`, keeps the index in step. The
signals are sent with `send()` inside the writing transaction, so a receiver that fails rolls
the change back, and the index (in the same database) commits exactly with the document.
"""

from django.dispatch import Signal

# One document's public face may have changed: published, withdrawn, edited or re-linked
# while published, its validity changed. Sent with `document=`.
document_changed = Signal()

# Many documents' derived data changed at once: a category or organisation moved, a gazette
# issue was published, a batch was loaded. Sent with `documents=` (a queryset or a list).
documents_changed = Signal()

# A bulk load finished: a good moment to compact what it wrote. Sent with no arguments.
documents_loaded = Signal()
