"""Responsive image renditions: several widths, WebP plus a JPEG fallback.

Made with Pillow the first time a page asks for them, stored beside the original
in the default storage, and remembered in the cache, so a page render costs no image
work after the first. A missing or unreadable original gives no renditions (the page
shows no image), never an error.

A page asks the cache once for all its images (`renditions_for_many`: a listing's
twenty thumbnails cost one round trip to Redis, not twenty, which was half a
listing's render time; each worker keeps its own copy of what it found, as the
keys name their content: `core.cache.get_many_content_named`), and each file
object remembers its answer for the rest of the request (the story page's picture,
share image and JSON-LD).

Renditions are stills, made from an animated image's first frame: pages show only
renditions, and an animation's size is bounded as an upload's is
(`core.uploads.check_size`, over all its frames) before anything is decoded,
however the file arrived. They are named by a keyed hash of the original's name,
never by the name itself: an old upload called `candidate-x-withdraws.png` does not
give its draft's renditions a guessable address.
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.crypto import salted_hmac
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from core.cache import get_many_content_named, set_content_named
from core.uploads import within_limits

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 960, 1280)
FORMATS = {"webp": ("WEBP", "image/webp"), "jpg": ("JPEG", "image/jpeg")}
CACHE_SECONDS = 24 * 3600
MISSING = "missing"
UNKNOWN = object()  # not looked up yet
# In the cache key: renditions once named after their originals are made again.
KEY_VERSION = 2


@dataclass
class Rendition:
    width: int
    height: int
    srcsets: dict[str, str] = field(default_factory=dict)  # extension -> srcset
    fallback_url: str = ""


# EXIF orientations that turn the picture a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}


class _Original:
    """An original image: its upright size read from the header alone, its pixels
    decoded only if a rendition has to be made (after the cache lost its entry, the
    renditions are usually in storage already: no decoding then)."""

    def __init__(self, image_file):
        self.image_file = image_file
        with image_file.storage.open(image_file.name) as handle:
            header = Image.open(handle)
            width, height = header.size
            turned = header.getexif().get(ExifTags.Base.Orientation) in QUARTER_TURNS
        self.width, self.height = (height, width) if turned else (width, height)
        self._pixels = None

    def resized(self, width, height):
        if self._pixels is None:
            with self.image_file.storage.open(self.image_file.name) as handle:
                image = Image.open(handle)
                if not within_limits(image):  # counted before decoding
                    raise TooLarge(self.image_file.name)
                image.load()  # the first frame only, of an animation
            upright = ImageOps.exif_transpose(image)
            if upright.mode not in ("RGB", "RGBA", "L"):
                # A palette (GIF) would be resized pixel by pixel, not smoothly.
                alpha = "A" in upright.getbands() or "transparency" in upright.info
                upright = upright.convert("RGBA" if alpha else "RGB")
            self._pixels = upright
        return self._pixels.resize((width, height), Image.Resampling.LANCZOS)


class TooLarge(ValueError):
    """An original with more frames or pixels than an upload may have."""


def _encode(image, pillow_format: str) -> bytes:
    buffer = BytesIO()
    if pillow_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.save(buffer, pillow_format, quality=82, optimize=pillow_format == "JPEG")
    return buffer.getvalue()


@lru_cache(maxsize=10_000)  # a file name's key never changes; a listing asks twenty
def _cache_key(name: str) -> str:
    return f"rendition:{KEY_VERSION}:" + hashlib.sha256(name.encode()).hexdigest()


def rendition_stem(name: str) -> str:
    """Where the renditions of the original stored as `name` go, without their
    width and extension: the original's folder under `renditions/`, and a name
    nobody can work out from the original's name without the secret key."""
    folder = name.rsplit("/", 1)[0] if "/" in name else ""
    token = salted_hmac("newsroom.renditions", name).hexdigest()[:32]
    return f"renditions/{folder}/{token}" if folder else f"renditions/{token}"


def _remembered(image_file):
    """The renditions this file object was given for its current name, or UNKNOWN."""
    memo = getattr(image_file, "_newsroom_rendition", None)
    if memo is not None and memo[0] == image_file.name:
        return memo[1]
    return UNKNOWN


def _remember(image_file, rendition) -> None:
    image_file._newsroom_rendition = (image_file.name, rendition)


DEFERRED_FILE = object()  # `detached_file()`: a field not loaded


def detached_file(instance, field_name: str):
    """The file of `instance`'s image field `field_name`, for a page that only
    shows the picture: the file object Django would make, but not pointing back
    at the instance until something asks the instance for it.

    Django's (`instance.photo`) keeps the instance, to save through it: a
    reference cycle, so the instance and all it holds (a story's body, its
    people) were freed by the garbage collector instead of with the request, and
    a listing of twenty stories made it run three times as often. The file is
    stored where Django keeps its own, so `instance.photo` later gives this one
    (its renditions found), linked back then."""
    stored = instance.__dict__
    value = stored.get(field_name, DEFERRED_FILE)
    if isinstance(value, FieldFile):
        return value
    if value is DEFERRED_FILE:
        return getattr(instance, field_name)
    file = stored[field_name] = unlinked_file(
        instance._meta.get_field(field_name), value
    )
    return file


def unlinked_file(model_field, name: str):
    """The file object `model_field` (a FileField) makes of a stored `name`, not
    linked to any instance (see `detached_file()`)."""
    return model_field.attr_class(None, model_field, name)


def renditions_for(image_file) -> Rendition | None:
    """Renditions of an ImageField's file, made once; None when there is no image."""
    if not image_file or not image_file.name:
        return None
    rendition = _remembered(image_file)
    if rendition is UNKNOWN:  # not looked up yet (a listing's were, together)
        renditions_for_many([image_file])
        rendition = _remembered(image_file)
    return rendition


def renditions_for_many(image_files, *, also=()) -> dict:
    """Find the renditions of several ImageField files with one cache round trip,
    making those not made yet, and remember each on its file object: the page's
    `renditions_for()` calls (and its pictures') then cost nothing.

    `also`: other keys the page needs, named by their content as these are,
    asked in the same round trip (the story page's linked body); returns what the
    cache holds of them."""
    asked = [f for f in image_files if f and f.name and _remembered(f) is UNKNOWN]
    also = list(also)
    if not asked and not also:
        return {}
    keys = [_cache_key(f.name) for f in asked]
    found = get_many_content_named(list(dict.fromkeys([*keys, *also])))
    for image_file, key in zip(asked, keys, strict=True):
        if found.get(key) is None:  # the cache never holds None
            found[key] = _make(image_file, key)
        _remember(image_file, None if found[key] == MISSING else found[key])
    return {key: found[key] for key in also if key in found}


def delete_renditions(storage, name: str) -> None:
    """Delete the renditions of the original stored as `name`, named either way
    (after the original, as they once were, or by `rendition_stem`)."""
    old_stem = "renditions/" + name.rsplit(".", 1)[0]
    for stem in (old_stem, rendition_stem(name)):
        folder, _, base = stem.rpartition("/")
        made = re.compile(re.escape(base) + r"-\d+w\.(" + "|".join(FORMATS) + ")")
        try:
            files = storage.listdir(folder)[1]
        except OSError:  # no renditions in that folder
            continue
        for file_name in files:
            if made.fullmatch(file_name):
                storage.delete(f"{folder}/{file_name}")


def prepare_after_commit(image_files) -> None:
    """Make the renditions of images an editor just uploaded once the save has
    committed, so that no reader's request waits for Pillow (a new lead image costs
    the first page that shows it about a second otherwise). Lazy making stays the
    fallback for images that arrive any other way; a failure here is logged, and
    never undoes the editor's save."""
    files = [f for f in image_files if f and f.name]
    if files:
        transaction.on_commit(partial(renditions_for_many, files), robust=True)


def _make(image_file, key: str) -> Rendition | str:
    """Make (or find in storage) the renditions of one file and cache them under
    `key`; MISSING when the original cannot be read."""
    try:
        rendition = _renditions_in_storage(image_file)
    except TooLarge:
        logger.warning("Image %s is too large to make renditions", image_file.name)
        set_content_named(key, MISSING, 300)
        return MISSING
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        logger.warning("Image %s is missing or unreadable", image_file.name)
        set_content_named(key, MISSING, 300)
        return MISSING
    set_content_named(key, rendition, CACHE_SECONDS)
    return rendition


def _renditions_in_storage(image_file) -> Rendition:
    original = _Original(image_file)
    storage = image_file.storage
    stem = rendition_stem(image_file.name)
    widths = sorted(
        {w for w in WIDTHS if w < original.width} | {min(original.width, WIDTHS[-1])}
    )
    rendition = Rendition(
        width=widths[-1], height=round(original.height * widths[-1] / original.width)
    )
    for extension, (pillow_format, _mime) in FORMATS.items():
        entries = []
        for width in widths:
            name = f"{stem}-{width}w.{extension}"
            if not storage.exists(name):
                height = max(1, round(original.height * width / original.width))
                resized = original.resized(width, height)
                name = storage.save(name, ContentFile(_encode(resized, pillow_format)))
            url = storage.url(name)
            entries.append(f"{url} {width}w")
            rendition.fallback_url = url
        rendition.srcsets[extension] = ", ".join(entries)
    return rendition
