"""An admin save that fails is refused whole, and the editor is told why.

A save touches more than the database: the page cache's version in Redis (so that
readers stop seeing what it replaces) and the media volume or bucket (an upload).
When one of them fails, the editor used to get the generic 500 page and lose what
they typed. With `NotSavedMixin` the form comes back with their input and "Not
saved: <reason>. Try again." above it, answered 503 with `Retry-After` when the
fault is the infrastructure's (409 when another save took the same address at the
same moment), and nothing of the attempt is kept: the row, its links, tags,
revision and log entry are rolled back, the work left for after the commit
(purges, renditions) with them, and the files it had stored are deleted. See also
`core.revisions.RevisionMiddleware`, which rolls a request back whenever it
answers 5xx.
"""

import errno
import functools
import logging
from typing import NamedTuple

import botocore.exceptions
import redis.exceptions
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, OperationalError, transaction
from django.db.models.fields.files import FieldFile
from django.http import QueryDict

logger = logging.getLogger(__name__)


class Failure(NamedTuple):
    reason: str  # for the editor, after "Not saved: "
    status: int
    retry_after: int | None = None  # seconds; for faults of the infrastructure


CACHE_UNREACHABLE = Failure("the page cache (Redis) could not be reached", 503, 30)
CACHE_SLOW = Failure("the page cache (Redis) did not answer in time", 503, 30)
CACHE_REFUSED = Failure("the page cache (Redis) refused to record the change", 503, 30)
MEDIA_UNREACHABLE = Failure("the media storage could not be reached", 503, 30)
BUCKET_REFUSED = Failure("the media bucket refused the file (no permission)", 503, 300)
NO_PERMISSION = Failure("the media volume refused the file (no permission)", 503, 300)
MEDIA_ERRORS = {
    errno.ENOSPC: Failure("the media volume is full", 503, 300),
    errno.EDQUOT: Failure("the media volume is over its quota", 503, 300),
    errno.EROFS: Failure("the media volume is read-only", 503, 300),
    errno.EACCES: NO_PERMISSION,
    errno.EPERM: NO_PERMISSION,
    errno.EIO: Failure("the media volume could not write the file", 503, 60),
}
DATABASE_BUSY = Failure(
    "the database was busy with another change and did not answer in time", 503, 30
)
DATABASE_UNREACHABLE = Failure("the database could not be reached", 503, 30)
# PostgreSQL's lock_timeout and statement_timeout (the web requests' bounded waits).
TIMEOUT_SQLSTATES = {"55P03", "57014"}
CONFLICT = Failure(
    "another save took the same address or entry at the same moment", 409
)


def failure_of(error: Exception) -> Failure | None:
    """What the editor is told about `error`, or None for a fault of the code (a
    500, as before: nothing an editor can act on)."""
    if isinstance(error, redis.exceptions.TimeoutError):
        return CACHE_SLOW
    if isinstance(error, redis.exceptions.ConnectionError):
        return CACHE_UNREACHABLE
    if isinstance(
        error,
        redis.exceptions.ReadOnlyError
        | redis.exceptions.OutOfMemoryError
        | redis.exceptions.MasterDownError
        | redis.exceptions.TryAgainError,
    ):
        return CACHE_REFUSED
    if isinstance(
        error,
        botocore.exceptions.ConnectionError | botocore.exceptions.HTTPClientError,
    ):
        return MEDIA_UNREACHABLE
    if isinstance(error, botocore.exceptions.ClientError):  # the bucket answered
        answer = error.response.get("ResponseMetadata", {})
        if answer.get("HTTPStatusCode", 0) >= 500:  # SlowDown, ServiceUnavailable
            return MEDIA_UNREACHABLE
        if error.response.get("Error", {}).get("Code") == "AccessDenied":
            return BUCKET_REFUSED
        return None
    if isinstance(error, OSError):
        return MEDIA_ERRORS.get(error.errno)
    if isinstance(error, OperationalError):
        # A row or table held past the wait's bound: the form can be shown again
        # (the save's savepoint is rolled back). With the database down, showing
        # it fails too, and the 503 page stands.
        if getattr(error.__cause__, "sqlstate", None) in TIMEOUT_SQLSTATES:
            return DATABASE_BUSY
        if "database is locked" in str(error):  # SQLite's busy timeout
            return DATABASE_BUSY
        return DATABASE_UNREACHABLE
    if isinstance(error, IntegrityError):
        # Two saves at once, each valid alone: the form's uniqueness checks ran
        # before the other one committed. Shown again, the form marks the field.
        return CONFLICT
    return None


def not_saved_form(form_class, failure: Failure, files_sent: bool):
    """`form_class`, refusing to save, with the reason above its fields."""
    message = f"Not saved: {failure.reason}. Try again."
    if files_sent:
        message += " (Choose the files again: a browser cannot keep them.)"

    class NotSavedForm(form_class):
        def clean(self):
            # Not the form's own checks: the attempt got past them (or failed in
            # them), and they may wait on what failed it (the story's row lock).
            # A conflict is the exception: another save took the same unique
            # value meanwhile, and the uniqueness checks now mark the field.
            if failure is CONFLICT:
                super().clean()
            self.add_error(None, ValidationError(message, code="not_saved"))
            return self.cleaned_data

    NotSavedForm.__name__ = form_class.__name__
    return NotSavedForm


def delete_stored_uploads(form) -> None:
    """Delete the files `form`'s save stored before it failed: the database
    forgets them with the rollback, the media volume would keep them."""
    if form is None:
        return
    for name in form.changed_data:
        uploaded = form.cleaned_data.get(name)
        stored = getattr(form.instance, name, None)
        # Stored, a file's name is the one the storage gave it (under upload_to).
        if (
            isinstance(uploaded, UploadedFile)
            and isinstance(stored, FieldFile)
            and stored.name
            and stored.name != uploaded.name
        ):
            try:
                stored.storage.delete(stored.name)
            except Exception:  # noqa: BLE001  (the save's own failure is reported)
                logger.warning("Upload %s of a failed save kept", stored.name)


class NotSavedMixin:
    """For every ModelAdmin that saves: a failure the editor can act on gives the
    page back (the form with their input, the list, the delete confirmation), not a
    500. Place it first among the bases (before VersionAdmin), so that it also
    covers restoring a version."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        failure = getattr(request, "not_saved", None)
        if failure is None:
            return form
        return not_saved_form(form, failure, bool(request.FILES))

    def save_form(self, request, form, change):
        request.form_saved = form  # its uploads are deleted if the save fails
        return super().save_form(request, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        if request.method != "POST":
            return view(request, object_id, form_url, extra_context)

        def form_again(failure):
            request.not_saved = failure
            try:
                return view(request, object_id, form_url, extra_context)
            finally:
                del request.not_saved

        return self._refused_whole(
            request,
            lambda: view(request, object_id, form_url, extra_context),
            form_again,
        )

    def changelist_view(self, request, extra_context=None):
        view = super().changelist_view
        if request.method != "POST":  # an action, or list_editable's save
            return view(request, extra_context)
        return self._refused_whole(
            request,
            lambda: view(request, extra_context),
            self._shown_again(request, "Nothing was changed", view, extra_context),
        )

    def delete_view(self, request, object_id, extra_context=None):
        view = super().delete_view
        if request.method != "POST":
            return view(request, object_id, extra_context)
        return self._refused_whole(
            request,
            lambda: view(request, object_id, extra_context),
            self._shown_again(request, "Not deleted", view, object_id, extra_context),
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring writes the version back before the form runs; when that fails,
        # the version is shown again (a GET restores nothing).
        view = super().revision_view
        if request.method != "POST":
            return view(request, object_id, version_id, extra_context)
        return self._refused_whole(
            request,
            lambda: view(request, object_id, version_id, extra_context),
            self._shown_again(
                request, "Not restored", view, object_id, version_id, extra_context
            ),
        )

    def recover_view(self, request, version_id, extra_context=None):
        view = super().recover_view
        if request.method != "POST":
            return view(request, version_id, extra_context)
        return self._refused_whole(
            request,
            lambda: view(request, version_id, extra_context),
            self._shown_again(request, "Not restored", view, version_id, extra_context),
        )

    def refusing_failures(self, view, outcome: str):
        """A custom admin view answering a failed POST the same way: its page as
        first shown, with "<outcome>: <reason>. Try again."."""

        @functools.wraps(view)
        def refusing(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            return self._refused_whole(
                request,
                lambda: view(request, *args, **kwargs),
                self._shown_again(
                    request, outcome, functools.partial(view, **kwargs), *args
                ),
            )

        return refusing

    def _shown_again(self, request, outcome, view, *args):
        """The page as first shown (a GET), with why the POST changed nothing."""

        def again(failure):
            self.message_user(
                request, f"{outcome}: {failure.reason}. Try again.", messages.ERROR
            )
            posted = request.POST
            # Views test either (Django's delete_view: `if request.POST`).
            request.method, request.POST = "GET", QueryDict()
            try:
                return view(request, *args)
            finally:
                request.method, request.POST = "POST", posted

        return again

    def _refused_whole(self, request, attempt, again):
        """`attempt()`'s response; or, when it fails in a way the editor can act
        on, `again(failure)`'s, with nothing of the attempt kept."""
        queued = messages.get_messages(request)
        messages_before = len(queued)
        try:
            return attempt()
        except Exception as error:
            delete_stored_uploads(getattr(request, "form_saved", None))
            failure = failure_of(error)
            if failure is None:
                raise
            logger.warning("Admin change refused: %s", failure.reason, exc_info=True)
            # Messages the failed attempt queued ("Linked …") did not happen.
            for message in list(queued)[:messages_before]:
                queued.add(message.level, message.message, message.extra_tags)
            try:
                response = again(failure)
                if hasattr(response, "render"):
                    response.render()  # now: the transaction is rolled back next
            except Exception:
                logger.exception("The refused page could not be shown again")
                raise error from None  # the first failure is the one to report
        # Nothing of the attempt stays, even where a block around this one (a
        # revision's) would otherwise commit what it gathered.
        if transaction.get_connection().in_atomic_block:
            transaction.set_rollback(True)
        if response.status_code != 200:
            return response  # not the page (the row went meanwhile, say)
        response.status_code = failure.status
        if failure.retry_after:
            response["Retry-After"] = str(failure.retry_after)
        return response
