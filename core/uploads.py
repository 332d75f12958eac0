"""Image uploads that are really images, of a sane size, with no metadata kept,
stored under names that give nothing away.

Pillow decides what a file is, not its name: only JPEG, PNG, WebP and GIF pass;
SVG, truncated and fake files are refused with a form error. The size is judged
from the header before any pixel is decoded, over all the frames of an animation
(a small GIF can hold hundreds of full-size frames: decoding them all held a worker
for twenty seconds). The stored file is re-encoded, so EXIF (GPS positions
included) and other metadata are dropped.

The stored file gets a random name in a dated folder (`RandomName`): an upload
called `candidate-x-withdraws.png` must not put a draft's story at a guessable
address. The uploader's file name is kept in the row for editors
(`UploadedImageField(name_field=...)`).
"""

import posixpath
import re
import secrets
from datetime import datetime
from io import BytesIO

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# What Pillow raises for a file it cannot read, or reads to be damaged.
UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    Image.DecompressionBombError,
)
ORIGINAL_NAME_LENGTH = 255

ERROR_MESSAGES = {
    "too_big": "The image is larger than %(limit)s MB.",
    "too_many_pixels": "The image is too large (%(pixels)s megapixels; at most "
    "%(limit)s).",
    "too_many_pixels_in_frames": "The animation is too large (%(pixels)s megapixels "
    "over its %(frames)s frames; at most %(limit)s in all). Upload a still image "
    "or a smaller, shorter animation.",
    "too_many_frames": "The animation has too many frames (%(frames)s; at most "
    "%(limit)s). Upload a still image or a shorter animation.",
    "format": "Upload a JPEG, PNG, WebP or GIF image (this file is %(format)s).",
    "broken": "The image is damaged or incomplete; export it again and retry.",
}


def frame_count(image) -> int:
    """How many frames `image` holds, read without decoding them (Pillow skips
    over a GIF's frame data; WebP and APNG declare the count)."""
    return getattr(image, "n_frames", 1)


def check_size(image) -> None:
    """Raise ValidationError when the opened (not decoded) `image` has more frames
    than NEWSROOM_MAX_IMAGE_FRAMES or more pixels, counted over all its frames, than
    NEWSROOM_MAX_IMAGE_PIXELS."""
    frames = frame_count(image)
    if frames > settings.NEWSROOM_MAX_IMAGE_FRAMES:
        raise ValidationError(
            ERROR_MESSAGES["too_many_frames"],
            code="too_many_frames",
            params={"frames": frames, "limit": settings.NEWSROOM_MAX_IMAGE_FRAMES},
        )
    pixels = image.width * image.height * frames
    if pixels > settings.NEWSROOM_MAX_IMAGE_PIXELS:
        code = "too_many_pixels" if frames == 1 else "too_many_pixels_in_frames"
        raise ValidationError(
            ERROR_MESSAGES[code],
            code=code,
            params={
                "pixels": round(pixels / 1e6, 1),
                "frames": frames,
                "limit": round(settings.NEWSROOM_MAX_IMAGE_PIXELS / 1e6, 1),
            },
        )


def within_limits(image) -> bool:
    """Whether the opened `image` may be decoded (see `check_size`)."""
    try:
        check_size(image)
    except ValidationError:
        return False
    return True


def open_checked(file):
    """`file` opened by Pillow, of an allowed format and size, nothing decoded yet;
    ValidationError otherwise."""
    file.seek(0)
    try:
        image = Image.open(file)
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(
                ERROR_MESSAGES["format"],
                code="format",
                params={"format": image.format or "unknown"},
            )
        check_size(image)
    except UNREADABLE:
        raise ValidationError(ERROR_MESSAGES["broken"], code="broken") from None
    return image


class SafeImageField(forms.ImageField):
    default_error_messages = ERROR_MESSAGES

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        if upload.size > settings.NEWSROOM_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                self.error_messages["too_big"],
                code="too_big",
                params={"limit": settings.NEWSROOM_MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        image = open_checked(upload)  # refused here, before any decoding
        try:
            image.load()  # a truncated file fails here
            content = _reencode(image)
        except UNREADABLE:
            raise forms.ValidationError(
                self.error_messages["broken"], code="broken"
            ) from None
        # The uploader's name, with the extension of what the file really is: the
        # name editors see (`UploadedImageField`), never the stored one.
        stem = (upload.name or "image").rsplit(".", 1)[0][:200] or "image"
        cleaned = SimpleUploadedFile(
            f"{stem}.{ALLOWED_FORMATS[image.format]}",
            content,
            content_type=Image.MIME[image.format],
        )
        cleaned.image = image
        return cleaned


def _reencode(image) -> bytes:
    """The pixels again, without EXIF, XMP, ICC text or comments. An animated GIF
    stays animated (its frames were counted and bounded before); the other formats
    keep their first frame."""
    buffer = BytesIO()
    image_format = image.format
    if image_format == "GIF":
        image.save(buffer, "GIF", save_all=frame_count(image) > 1)
        return buffer.getvalue()
    upright = ImageOps.exif_transpose(image)  # keep what the camera meant
    if image_format == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(buffer, "JPEG", quality=90, exif=b"")
    elif image_format == "PNG":
        upright.save(buffer, "PNG", exif=b"")
    else:
        upright.save(buffer, "WEBP", quality=90, exif=b"")
    return buffer.getvalue()


def validate_new_image(value) -> None:
    """Model-level check of an image file assigned but not stored yet, whatever
    path assigns it (a form, a service, a command calling `full_clean()`). A file
    already in storage is not read again: it passed when it arrived."""
    # Django's own FileField.pre_save reads `_committed` the same way.
    if not value or getattr(value, "_committed", True):
        return
    position = value.file.tell()
    try:
        open_checked(value.file)
    finally:
        value.file.seek(position)


SAFE_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}")


@deconstructible
class RandomName:
    """An `upload_to` that stores a file as `<folder>/<random>.<extension>`: the
    folder a strftime pattern ("articles/%Y/%m/"), the name 128 random bits, only
    the extension kept of the uploader's name."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = posixpath.splitext(filename)[1].lower()
        if not SAFE_EXTENSION.fullmatch(extension):
            extension = ""
        # Local time, as Django dates a string `upload_to`.
        folder = datetime.now().strftime(self.folder)
        return posixpath.join(folder, secrets.token_urlsafe(16) + extension)

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self):
        return hash(self.folder)


def original_file_name(filename: str) -> str:
    """The uploader's file name as editors see it: no folders, bounded."""
    return posixpath.basename(filename.replace("\\", "/"))[-ORIGINAL_NAME_LENGTH:]


class UploadedImageField(models.ImageField):
    """An image field whose files get random names (pass `upload_to=RandomName(...)`)
    and whose uploader's file name is written to the model's `name_field` (a
    CharField declared after this one, so that a save writes both) whenever a new
    file is stored, by any path. Forms get a `SafeImageField`; `full_clean()`
    checks a new file's format and size (`validate_new_image`)."""

    default_validators = [validate_new_image]

    def __init__(self, *args, name_field: str = "", **kwargs):
        self.name_field = name_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.name_field:
            kwargs["name_field"] = self.name_field
        return name, path, args, kwargs

    def generate_filename(self, instance, filename):
        if self.name_field and instance is not None:
            setattr(instance, self.name_field, original_file_name(filename))
        return super().generate_filename(instance, filename)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageField, **kwargs})
