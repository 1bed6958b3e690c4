"""Checks on uploaded activity attachments: size, extension AND content (magic bytes).

The extension alone is what the user chose to type; the first bytes are what the file is. Both
must name the same allowed type, so a renamed executable or an HTML page called ``anh.jpg`` is
refused before anything is written to disk.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

#: extension → (content type, kind)
EXTENSIONS = {
    ".jpg": ("image/jpeg", "jpeg"),
    ".jpeg": ("image/jpeg", "jpeg"),
    ".png": ("image/png", "png"),
    ".pdf": ("application/pdf", "pdf"),
}
#: kind → the bytes every file of that kind starts with
SIGNATURES = {
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "pdf": (b"%PDF-",),
}


def sniff(head: bytes) -> str | None:
    """The kind of file its first bytes announce, or None."""
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    return None


def validate_attachment(upload) -> str:
    """Validate an uploaded file; return its content type. Raises ``ValidationError`` in Vietnamese."""
    name = (getattr(upload, "name", "") or "").strip()
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("Tệp rỗng, không có nội dung."), code="empty")
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size).1f MB). Dung lượng tối đa là 10 MB.")
            % {"name": name, "size": size / 1024 / 1024},
            code="too_large",
        )
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in EXTENSIONS:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng định dạng: chỉ nhận ảnh .jpg, .jpeg, .png hoặc tài liệu .pdf.")
            % {"name": name},
            code="extension",
        )
    content_type, expected = EXTENSIONS[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    actual = sniff(head)
    if actual != expected:
        raise ValidationError(
            _(
                "Nội dung tệp “%(name)s” không phải là %(kind)s như phần đuôi tên tệp cho biết "
                "(tệp bị đổi tên hoặc bị hỏng). Hãy chọn đúng tệp ảnh .jpg/.png hoặc tài liệu .pdf."
            )
            % {"name": name, "kind": {"jpeg": "ảnh JPEG", "png": "ảnh PNG", "pdf": "tài liệu PDF"}[expected]},
            code="content",
        )
    return content_type
