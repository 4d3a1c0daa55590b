"""Uploaded documents: policy attachments and hardship evidence."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from zoneguard.core.errors import InvalidInput

# Documents and scans; never HTML or scripts, which a browser would run when the file is opened.
ALLOWED_EXTENSIONS = frozenset({".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".ofd", ".txt"})


def check_upload(file: UploadedFile, *, field: str = "file") -> str:
    """The file's safe name, or InvalidInput when the file is empty, too large or of a refused type."""
    original = PurePath(str(file.name or "")).name
    suffix = PurePath(original).suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        raise InvalidInput.for_field(
            field,
            _("Upload a PDF, Word, Excel, OFD, text or image file (%(types)s).")
            % {"types": ", ".join(sorted(ALLOWED_EXTENSIONS))},
            code="file_type",
        )
    if not file.size:
        raise InvalidInput.for_field(field, _("The file is empty."), code="file_empty")
    if file.size > settings.TAX_UPLOAD_MAX_BYTES:
        raise InvalidInput.for_field(
            field,
            _("The file is larger than %(mb)s MB.") % {"mb": settings.TAX_UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    # Chinese names survive get_valid_filename; only characters unsafe in paths are dropped.
    try:
        stem = get_valid_filename(PurePath(original).stem)[:80]
    except SuspiciousFileOperation:
        stem = "file"
    return f"{stem or 'file'}{suffix}"


def literal(text: str) -> str:
    """User text passed to notify() beside params: its % signs are not placeholders."""
    return text.replace("%", "%%")
