"""Storing a received file: identify it, hash it, keep it once (core.models.StoredFile)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from . import textextract


def store(obj, name: str, data: bytes, *, identified: textextract.Identified | None = None):
    """Fill `obj` (a StoredFile, not yet saved) from `data` and write the bytes; save it.

    The kind and content type come from the bytes (`textextract.identify`), never from the
    name. When the model's storage path is content-addressed and the same bytes are already
    there, they are not written twice."""
    found = identified or textextract.identify(data, name)
    obj.original_name = name[:255]
    obj.kind = found.kind
    obj.content_type = found.content_type
    obj.size = len(data)
    obj.sha256 = hashlib.sha256(data).hexdigest()
    field = obj.file.field
    name = _storable_name(name)
    path = field.generate_filename(obj, name)
    if path and field.storage.exists(path) and _content_addressed(path, obj.sha256):
        obj.file.name = path  # the same bytes, stored already
    else:
        obj.file.save(name, ContentFile(data), save=False)
    obj.save()
    return obj


# File systems allow 255 bytes for one name; leave room for the suffix storage adds on a clash.
MAX_NAME_BYTES = 180


def _storable_name(name: str) -> str:
    """The name for the storage path (`original_name` keeps the name as sent): cut, by bytes,
    so a long Chinese name does not exceed the file system's limit; the extension is kept."""
    import os

    base = os.path.basename(name.replace("\\", "/")) or "file"
    if len(base.encode("utf-8")) <= MAX_NAME_BYTES:
        return base
    stem, ext = os.path.splitext(base)
    ext = ext[:16]
    budget = MAX_NAME_BYTES - len(ext.encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    return (cut or "file") + ext


def _content_addressed(path: str, sha256: str) -> bool:
    # Only a path named by the content may be reused: another file could sit at a name-based one.
    return sha256 in path
