"""Image uploads that are really images, of a sane size, with no metadata kept.

Pillow decides what a file is, not its name: only JPEG, PNG, WebP and GIF pass;
SVG, truncated and fake files are refused with a form error. The stored file is
re-encoded, so EXIF (GPS positions included) and other metadata are dropped.
"""

from io import BytesIO

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


class SafeImageField(forms.ImageField):
    default_error_messages = {
        "too_big": "The image is larger than %(limit)s MB.",
        "too_many_pixels": "The image is too large (%(pixels)s megapixels; at most "
        "%(limit)s).",
        "format": "Upload a JPEG, PNG, WebP or GIF image (this file is %(format)s).",
        "broken": "The image is damaged or incomplete; export it again and retry.",
    }

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
        upload.seek(0)
        try:
            image = Image.open(upload)
            if image.format not in ALLOWED_FORMATS:
                raise forms.ValidationError(
                    self.error_messages["format"],
                    code="format",
                    params={"format": image.format or "unknown"},
                )
            pixels = image.width * image.height
            if pixels > settings.NEWSROOM_MAX_IMAGE_PIXELS:
                raise forms.ValidationError(
                    self.error_messages["too_many_pixels"],
                    code="too_many_pixels",
                    params={
                        "pixels": round(pixels / 1e6, 1),
                        "limit": round(settings.NEWSROOM_MAX_IMAGE_PIXELS / 1e6, 1),
                    },
                )
            image.load()  # a truncated file fails here
            content = _reencode(image)
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            Image.DecompressionBombError,
        ):
            raise forms.ValidationError(
                self.error_messages["broken"], code="broken"
            ) from None
        stem = (upload.name or "image").rsplit(".", 1)[0][:80] or "image"
        cleaned = SimpleUploadedFile(
            f"{stem}.{ALLOWED_FORMATS[image.format]}",
            content,
            content_type=Image.MIME[image.format],
        )
        cleaned.image = image
        return cleaned


def _reencode(image) -> bytes:
    """The pixels again, without EXIF, XMP, ICC text or comments."""
    buffer = BytesIO()
    image_format = image.format
    if image_format == "GIF":
        image.save(buffer, "GIF", save_all=getattr(image, "n_frames", 1) > 1)
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
