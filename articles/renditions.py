"""Responsive image renditions: several widths, WebP plus a JPEG fallback.

Made with Pillow the first time a page asks for them, stored beside the original
in the default storage, and remembered in the cache, so a page render costs no image
work after the first. A missing or unreadable original gives no renditions (the page
shows no image), never an error.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from io import BytesIO

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 960, 1280)
FORMATS = {"webp": ("WEBP", "image/webp"), "jpg": ("JPEG", "image/jpeg")}
CACHE_SECONDS = 24 * 3600
MISSING = "missing"


@dataclass
class Rendition:
    width: int
    height: int
    srcsets: dict[str, str] = field(default_factory=dict)  # extension -> srcset
    fallback_url: str = ""


def _open(image_file):
    with image_file.storage.open(image_file.name) as handle:
        image = Image.open(handle)
        image.load()
    return ImageOps.exif_transpose(image)


def _encode(image, pillow_format: str) -> bytes:
    buffer = BytesIO()
    if pillow_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.save(buffer, pillow_format, quality=82, optimize=pillow_format == "JPEG")
    return buffer.getvalue()


def renditions_for(image_file) -> Rendition | None:
    """Renditions of an ImageField's file, made once; None when there is no image."""
    if not image_file or not image_file.name:
        return None
    key = "rendition:" + hashlib.sha256(image_file.name.encode()).hexdigest()
    cached = cache.get(key)
    if cached == MISSING:
        return None
    if cached is not None:
        return cached
    try:
        original = _open(image_file)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        logger.warning("Image %s is missing or unreadable", image_file.name)
        cache.set(key, MISSING, 300)
        return None
    storage = image_file.storage
    stem = image_file.name.rsplit(".", 1)[0]
    widths = sorted(
        {w for w in WIDTHS if w < original.width} | {min(original.width, WIDTHS[-1])}
    )
    rendition = Rendition(
        width=widths[-1], height=round(original.height * widths[-1] / original.width)
    )
    for extension, (pillow_format, _mime) in FORMATS.items():
        entries = []
        for width in widths:
            name = f"renditions/{stem}-{width}w.{extension}"
            if not storage.exists(name):
                height = max(1, round(original.height * width / original.width))
                resized = original.resize((width, height), Image.Resampling.LANCZOS)
                name = storage.save(name, ContentFile(_encode(resized, pillow_format)))
            url = storage.url(name)
            entries.append(f"{url} {width}w")
            rendition.fallback_url = url
        rendition.srcsets[extension] = ", ".join(entries)
    cache.set(key, rendition, CACHE_SECONDS)
    return rendition


def picture(image_file, alt, sizes="100vw", lazy=True, css_class=""):
    """<picture> with WebP and JPEG srcsets, or nothing when the image is missing."""
    rendition = renditions_for(image_file)
    if rendition is None:
        return ""
    sources = format_html(
        '<source type="{}" srcset="{}" sizes="{}">',
        FORMATS["webp"][1],
        rendition.srcsets["webp"],
        sizes,
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" '
        'alt="{}"{}{} decoding="async"></picture>',
        sources,
        rendition.fallback_url,
        rendition.srcsets["jpg"],
        sizes,
        rendition.width,
        rendition.height,
        alt,
        mark_safe(' loading="lazy"') if lazy else "",
        format_html(' class="{}"', css_class) if css_class else "",
    )
