import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.admin import TagAdmin
from taggit.managers import TaggableManager
from taggit.models import Tag

from articles import numbers_check, search, services
from articles.admin_relationships import RelationshipReportInline
from articles.body_editor import BodyEditorWidget
from articles.diffs import body_diff
from articles.models import Article, Byline, Mention, MentionDecision, Section
from articles.sanitizer import sanitize_html
from articles.views import story_context
from core import renditions
from core.admin_deletion import SummarizedDeletionMixin
from core.admin_input import CheckedInputMixin
from core.admin_labels import LabelledInlineMixin, LabelledSplitDateTime
from core.admin_paging import CappedCountPaginator, QuickActionCheckboxMixin
from core.admin_saves import NotSavedMixin
from core.ids import parse_id
from core.postgresql.plans import planned_afresh
from core.tags import NewsroomTagField
from core.uploads import SafeImageField
from people.admin_autocomplete import (
    BadValueSafeAutocompleteSelectMultiple,
    PrefetchedAutocompleteInlineMixin,
)
from people.models import Person, Race
from tagging.admin import FoldedTagsMessageMixin, TagForm


@admin.register(Section)
class SectionAdmin(
    NotSavedMixin, CheckedInputMixin, SummarizedDeletionMixin, admin.ModelAdmin
):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class BylineFormSet(forms.BaseInlineFormSet):
    """Bylines, at least one when the story is saved as published or scheduled."""

    def clean(self):
        super().clean()
        if self.instance.status != Article.Status.PUBLISHED:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("person") and not self._should_delete_form(form)
        ]
        if not kept:
            raise ValidationError(
                f"{services.BYLINE_NEEDED} Add the journalist who wrote it."
            )


class BylineInline(
    LabelledInlineMixin, PrefetchedAutocompleteInlineMixin, admin.TabularInline
):
    model = Byline
    formset = BylineFormSet
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "position"]
    verbose_name = "byline"
    verbose_name_plural = "bylines (in the order they read)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class MentionInline(
    LabelledInlineMixin, PrefetchedAutocompleteInlineMixin, admin.TabularInline
):
    model = Mention
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "note"]
    verbose_name = "person in this story"
    verbose_name_plural = "people in this story"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


LOCKED_FIELDS = [
    "headline",
    "slug",
    "dek",
    "body",
    "section_id",
    "status",
    "published_at",
]


TEXT_FIELDS = {"headline", "slug", "dek", "body"}


def _comparable(name: str, value) -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    return sanitize_html(text) if name == "body" else text


# The change form's workflow buttons: the status each sets, and its label.
WORKFLOW_ACTIONS = {
    "review": (Article.Status.IN_REVIEW, "Submit for review"),
    "publish": (Article.Status.PUBLISHED, "Publish"),
    "schedule": (Article.Status.PUBLISHED, "Schedule"),
    "unpublish": (Article.Status.UNPUBLISHED, "Unpublish"),
    "draft": (Article.Status.DRAFT, "Send back to draft"),
}


def workflow_actions(user, article: Article | None) -> list[tuple[str, str]]:
    """The buttons a user sees for a story: those the workflow's rules allow."""
    shown = []
    for action, (status, label) in WORKFLOW_ACTIONS.items():
        old_status = article.status if article else Article.Status.DRAFT
        if status == old_status and not (
            action == "publish" and article is not None and article.is_scheduled
        ):
            continue  # already there (a scheduled story may still go live now)
        if action == "schedule" and article is not None and article.is_published:
            continue  # moving a live story's time is the time field's, confirmed
        try:
            services.check_transition(
                user=user,
                old=article,
                new_status=status,
                new_published_at=article.published_at if article else None,
            )
        except ValidationError:
            continue
        shown.append((action, label))
    return shown


class ArticleAdminForm(forms.ModelForm):
    """The story form, which knows who is saving (set by `ArticleAdmin.get_form`)
    so that it can refuse what their role does not allow, and which refuses to
    overwrite a save made since the form was opened."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Rendered by the change form only when needed (see `leave_site_context`).
    confirm_leave_site = forms.BooleanField(
        required=False, label="Take it off the site until then"
    )
    # `Article.races` has a through model (`RaceCoverage`), which the admin does
    # not put in a form: the same autocomplete, as a form field of its own.
    covered_races = forms.ModelMultipleChoiceField(
        queryset=Race.objects.all(),
        required=False,
        label="Races",
        help_text=Article._meta.get_field("races").help_text,
        widget=BadValueSafeAutocompleteSelectMultiple(
            Article._meta.get_field("races"), admin.site
        ),
    )
    user = None
    # Restoring a version rewrites the row before the form runs; the lock it had
    # before is kept here (see ArticleAdmin.revision_view).
    lock_before_revert = None

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "dek",
            "body",
            "section",
            "tags",
            "lead_image",
            "lead_image_alt",
            "lead_image_caption",
            "lead_image_credit",
            "status",
            "published_at",
            "correction",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "covered_races" in self.fields and self.instance.pk:
            self.initial.setdefault(
                "covered_races", list(self.instance.races.values_list("pk", flat=True))
            )
        if "opened_version" in self.fields:
            self.fields["opened_version"].initial = (
                self.lock_before_revert or self.instance.lock_version
            )
        if "status" in self.fields:
            # The workflow's buttons set the status (see `WORKFLOW_ACTIONS`); a
            # status posted by hand is still checked by `check_transition`.
            self.fields["status"].widget = forms.HiddenInput()
        self.action = self.data.get("_action") if self.is_bound else None

    def _save_m2m(self):
        super()._save_m2m()
        if "covered_races" in self.fields:
            self.instance.races.set(self.cleaned_data["covered_races"])

    def clean(self):
        cleaned = super().clean()
        current = None
        if self.instance.pk:
            # Locked until this save commits, so two saves cannot both pass.
            current = Article.objects.select_for_update().get(pk=self.instance.pk)
            self.current_lock = self.lock_before_revert or current.lock_version
            opened = cleaned.get("opened_version")
            if opened is not None and opened != self.current_lock:
                changed = [
                    Article._meta.get_field(name.removesuffix("_id")).verbose_name
                    for name in LOCKED_FIELDS
                    if getattr(current, name) != self._submitted(name)
                ]
                who = f" ({current.updated_by})" if current.updated_by else ""
                raise ValidationError(
                    f"Someone else{who} saved this story after you opened it, at "
                    f"{timezone.localtime(current.updated_at):%H:%M:%S}. Your version "
                    "is "
                    "kept below but was not saved. Fields that now differ: "
                    f"{', '.join(changed) or 'none'}. Copy your changes, reload the "
                    "page, and apply them again."
                )
        self._apply_action(cleaned, current)
        self._check_leaving_site(cleaned, current)
        if "status" in cleaned and self.user is not None:
            published_at = cleaned.get(
                "published_at", current.published_at if current else None
            )
            try:
                services.check_transition(
                    user=self.user,
                    old=current,
                    new_status=cleaned["status"],
                    new_published_at=published_at,
                )
            except ValidationError as error:
                # The status is a hidden input: its refusal is the form's.
                self.add_error(None, error)
        if (
            cleaned.get("status") == Article.Status.IN_REVIEW
            and (current is None or current.status != Article.Status.IN_REVIEW)
            and self.user is not None
        ):
            self.instance.submitted_at = timezone.now()
            self.instance.submitted_by = self.user
        self.current = current
        return cleaned

    @cached_property
    def changed_data(self):
        """What the editor changed: a text that differs only in its line endings
        (browsers post CRLF) or in what the sanitiser removes did not change."""
        return [
            name
            for name in super().changed_data
            if name not in TEXT_FIELDS
            or _comparable(name, self[name].initial)
            != _comparable(name, self.cleaned_data.get(name, self[name].data))
        ]

    def _apply_action(self, cleaned, current):
        """The button pressed, as a status (and, to publish or schedule, a time)."""
        if self.action is None or "status" not in self.fields:
            return
        if self.action not in WORKFLOW_ACTIONS:
            self.add_error(None, "That action was not understood.")
            return
        cleaned["status"] = WORKFLOW_ACTIONS[self.action][0]
        if "published_at" not in cleaned:
            return  # a reporter's form; `check_transition` refuses publishing
        when = cleaned.get("published_at")
        now = timezone.now()
        if self.action == "publish" and (when is None or when > now):
            cleaned["published_at"] = now
        elif self.action == "schedule" and (when is None or when <= now):
            self.add_error(
                "published_at", "Choose a publish time in the future to schedule."
            )

    # Set by `_check_leaving_site`: the form asks for the confirmation.
    leaves_site_unconfirmed = False

    def _check_leaving_site(self, cleaned, current):
        """A live story given a future time leaves the site: only when confirmed.
        The change form warns as the time is typed (`leave_site.js`); a form
        saved anyway comes back with this error and the box to tick."""
        when = cleaned.get("published_at")
        if (
            current is not None
            and current.is_published
            and cleaned.get("status") == Article.Status.PUBLISHED
            and when is not None
            and when > timezone.now()
            and not cleaned.get("confirm_leave_site")
        ):
            self.leaves_site_unconfirmed = True
            self.add_error(
                None,
                "This story is live. A publish time in the future takes it off the "
                f"site until {timezone.localtime(when):%d %b %Y, %H:%M}. Tick “Take "
                "it off the site until then” under the publishing fields to "
                "confirm, or keep the time it has.",
            )

    def _submitted(self, name):
        field = name.removesuffix("_id")
        value = self.cleaned_data.get(field)
        return value.pk if name.endswith("_id") and value is not None else value


class RecentTagsFilter(admin.SimpleListFilter):
    """The tags of the newest stories, most used first, and the tag chosen. The
    filter of every tag grew with the newsroom's tags: at 20,500 tags the story
    list was 1.5 MB and took half a second. Any tag's stories stay one address
    away (`?tags__id__exact=`, as before; the search finds the rest)."""

    title = "tag (in the newest stories)"
    parameter_name = "tags__id__exact"
    NEWEST_STORIES = 1000
    SHOWN = 30

    def lookups(self, request, model_admin):
        newest = Article.objects.newest_first().values("pk")[: self.NEWEST_STORIES]
        tags = list(
            Tag.objects.filter(articles_taggedarticle_items__content_object__in=newest)
            .annotate(uses=Count("pk"))
            .order_by("-uses", "name")
            .values_list("pk", "name")[: self.SHOWN]
        )
        chosen = self.chosen_id()
        if chosen is not None and chosen not in {pk for pk, _name in tags}:
            tags += Tag.objects.filter(pk=chosen).values_list("pk", "name")
        return [(str(pk), name) for pk, name in tags]

    def chosen_id(self) -> int | None:
        """The chosen tag's id; None when none is chosen or the value is no id."""
        chosen = self.value()
        if chosen is not None and chosen.isascii() and chosen.isdigit():
            return int(chosen)  # past 64 bits, no tag has it: no stories
        return None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.chosen_id() is None:
            # As Django's own filters answer a bad value: the list, with a notice.
            raise IncorrectLookupParameters(f"No tag {self.value()!r}")
        return queryset.filter(tags__id=self.chosen_id())


class StateFilter(admin.SimpleListFilter):
    """The statuses, with scheduled stories apart from live ones."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        Status = Article.Status
        return [
            (Status.DRAFT, "Draft"),
            (Status.IN_REVIEW, "In review"),
            ("scheduled", "Scheduled"),
            (Status.PUBLISHED, "Published (live)"),
            (Status.UNPUBLISHED, "Unpublished"),
        ]

    def queryset(self, request, queryset):
        value, now = self.value(), timezone.now()
        published = Article.Status.PUBLISHED
        if value is None:
            return queryset
        if value == "scheduled":
            return queryset.filter(status=published, published_at__gt=now)
        if value == published:
            return queryset.published(now=now)
        if value in Article.Status.values:
            return queryset.filter(status=value)
        raise IncorrectLookupParameters(f"No status {value!r}")


class ArticleChangeList(ChangeList):
    def get_ordering(self, request, queryset):
        """Sorted by status, newest first within each: the order of the status and
        publish-time index (by status, then story id, sorted the whole archive)."""
        ordering = []
        for field in super().get_ordering(request, queryset):
            ordering.append(field)
            if field in ("status", "-status"):
                ordering.append("-published_at")
        return ordering

    def get_queryset(self, request, exclude_parameters=None):
        # The list never shows bodies or search vectors; don't load them.
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .defer("body", "search_vector")
        )


@admin.register(Article)
class ArticleAdmin(
    NotSavedMixin,
    FoldedTagsMessageMixin,
    CheckedInputMixin,
    SummarizedDeletionMixin,
    QuickActionCheckboxMixin,
    VersionAdmin,
):
    form = ArticleAdminForm
    list_display = [
        "headline", "state", "section", "published_at", "people_in_story"
    ]  # fmt: skip
    list_select_related = ["section"]
    # A publish-date filter rather than a date hierarchy: the hierarchy lists the
    # distinct years of every matching story, a scan of the archive on each load.
    list_filter = [
        StateFilter, "section", ("published_at", admin.DateFieldListFilter),
        RecentTagsFilter, "mentions__person__kind",
    ]  # fmt: skip
    paginator = CappedCountPaginator
    search_fields = [
        "headline", "body", "mentions__person__name", "mentions__person__aliases__name"
    ]  # fmt: skip
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline, MentionInline, RelationshipReportInline]
    show_full_result_count = False  # no second COUNT(*) of the whole archive per page
    save_on_top = True
    formfield_overrides = {
        models.ImageField: {"form_class": SafeImageField},
        TaggableManager: {"form_class": NewsroomTagField},
    }
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"
    actions = ["publish_now", "unpublish", "link_all_suggested"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Room to write: a rich-text body, a two-line dek.
        if db_field.name == "body":
            kwargs["widget"] = BodyEditorWidget(
                attrs={"rows": 24, "class": "vLargeTextField"}
            )
        rows = {"dek": 2}.get(db_field.name)
        if rows:
            kwargs["widget"] = forms.Textarea(
                attrs={"rows": rows, "class": "vLargeTextField"}
            )
        if db_field.name == "published_at":
            kwargs["widget"] = LabelledSplitDateTime(db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    readonly_fields = ["lead_image_name", "workflow_state"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "headline",
                    "slug",
                    "dek",
                    "body",
                    "section",
                    "tags",
                    "covered_races",
                ]
            },
        ),
        (
            "Lead image",
            {
                "fields": [
                    "lead_image",
                    "lead_image_name",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
        ),
        (
            "Publishing",
            {
                "fields": [
                    "workflow_state",
                    "status",
                    "published_at",
                    "correction",
                    "opened_version",
                ]
            },
        ),
    ]

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def changelist_view(self, request, extra_context=None):
        if not request.GET.get(SEARCH_VAR, "").strip():
            return super().changelist_view(request, extra_context)
        # A search, planned for its own words (see `planned_afresh`).
        with planned_afresh():
            response = super().changelist_view(request, extra_context)
            if isinstance(response, TemplateResponse):
                response.render()
            return response

    def get_search_results(self, request, queryset, search_term):
        if search_term.strip():
            found = search.search_for_editors(queryset, search_term)
            if found is not None:  # PostgreSQL: the full-text index
                return found, False
        return super().get_search_results(request, queryset, search_term)

    def get_queryset(self, request):
        people = Mention.objects.select_related("person").only(
            "article_id", "role", "person__name"
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("mentions", queryset=people, to_attr="people_listed")
            )
        )

    @admin.display(description="status", ordering="status")
    def workflow_state(self, article):
        """The status as editors mean it: a future time is "Scheduled"."""
        if article is None or article.pk is None:
            return "New story (not saved yet)"
        if article.is_scheduled:
            when = timezone.localtime(article.published_at)
            return f"Scheduled for {when:%d %b %Y, %H:%M}"
        return article.get_status_display()

    @admin.display(description="status", ordering="status")
    def state(self, article):
        return "Scheduled" if article.is_scheduled else article.get_status_display()

    @admin.display(description="people")
    def people_in_story(self, article):
        names = dict.fromkeys(mention.person.name for mention in article.people_listed)
        return ", ".join(names) or "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        form.lock_before_revert = getattr(request, "lock_before_revert", None)
        return form

    def revision_view(self, request, object_id, version_id, extra_context=None):
        current = Article.objects.filter(pk=object_id).values("lock_version").first()
        request.lock_before_revert = current["lock_version"] if current else None
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not services.may_publish(request.user):
            readonly.append("published_at")
        return readonly

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None:
            return services.may_edit(request.user, obj)
        return allowed

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and services.may_publish(
            request.user
        )

    def has_publish_permission(self, request):
        return services.may_publish(request.user)

    def view_on_site(self, obj):
        if obj.is_published:
            return obj.get_absolute_url()
        return reverse("admin:articles_article_preview", args=[obj.pk])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        elif not services.may_edit(request.user, form.current):
            raise PermissionDenied
        if change:
            obj.lock_version = form.current_lock + 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if "lead_image" in form.changed_data:
            renditions.prepare_after_commit([obj.lead_image])

    @admin.action(
        description="Publish the selected stories now", permissions=["publish"]
    )
    def publish_now(self, request, queryset):
        self._change_status(request, queryset, services.article_publish, "Published")

    @admin.action(description="Unpublish the selected stories", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._change_status(
            request, queryset, services.article_unpublish, "Unpublished"
        )

    def _change_status(self, request, queryset, service, done_verb):
        """Apply a workflow service to each story; report the ones it refuses."""
        done = 0
        for article in queryset:
            try:
                service(article=article, user=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(
                    request, f"“{article}”: {error.messages[0]}", messages.ERROR
                )
        self.message_user(request, f"{done_verb} {done} stories.", messages.SUCCESS)

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, object_id)
        versions = []
        if article is not None:
            for version in Version.objects.get_for_object(article).select_related(
                "revision__user"
            ):
                versions.append(
                    {
                        "version": version,
                        "revert_url": reverse(
                            "admin:articles_article_revision",
                            args=[article.pk, version.pk],
                        ),
                        "changes_url": reverse(
                            "admin:articles_article_changes",
                            args=[article.pk, version.pk],
                        ),
                    }
                )
        return super().history_view(
            request, object_id, {"versions": versions, **(extra_context or {})}
        )

    def changes_view(self, request, pk, version_id):
        """What one save changed: the fields, and the body word by word."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = list(
            Version.objects.get_for_object(article).select_related("revision")
        )
        index = next((i for i, v in enumerate(versions) if v.pk == version_id), None)
        if index is None:
            raise Http404("No such version of this story.")
        new = versions[index].field_dict
        old = versions[index + 1].field_dict if index + 1 < len(versions) else {}
        fields = []
        for name in ["headline", "slug", "dek", "status", "published_at", "section_id"]:
            if old.get(name) != new.get(name):
                label = Article._meta.get_field(name.removesuffix("_id")).verbose_name
                fields.append((label, old.get(name, "—"), new.get(name)))
        context = {
            **self.admin_site.each_context(request),
            "title": "What this save changed",
            "article": article,
            "version": versions[index],
            "fields": fields,
            "body_changes": body_diff(old.get("body", ""), new.get("body", "")),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/articles/article/changes.html", context)

    autosave_seconds = 30

    def autosave_view(self, request, pk):
        """Save a draft's form as it stands (not its inlines), as the Save button
        would, refusing a save made since the form was opened: 409, nothing
        written, and the editor keeps the page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        with transaction.atomic():
            article = get_object_or_404(Article, pk=pk)
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            if article.status != Article.Status.DRAFT:
                return JsonResponse(
                    {"error": "only drafts are autosaved; save the story yourself."},
                    status=409,
                )
            if not request.POST.get("opened_version"):
                return JsonResponse(
                    {"error": "the form's version is missing."}, status=400
                )
            # An autosave keeps the status: the workflow's buttons are for people.
            data = request.POST.copy()
            data.pop("_action", None)
            data["status"] = article.status
            form = self.get_form(request, article, change=True)(
                data,
                instance=article,  # no uploads: the lead image is kept
            )
            if not form.is_valid():
                stale = form.current_lock != form.cleaned_data.get("opened_version")
                errors = [str(e) for errors in form.errors.values() for e in errors]
                return JsonResponse(
                    {"error": " ".join(errors)}, status=409 if stale else 400
                )
            article = form.save(commit=False)
            article.lock_version = form.current_lock + 1
            article.updated_by = request.user
            article.save()
            form.save_m2m()
            if reversion.is_active():
                reversion.set_comment("Autosaved.")
        return JsonResponse(
            {
                "opened_version": article.lock_version,
                "saved_at": f"{timezone.localtime(article.updated_at):%H:%M:%S}",
            }
        )

    def people_found_view(self, request):
        """The "People found in this story" panel for text as it is typed, saved
        or not: POST headline, dek and body (and `article`, a saved story's id, to
        leave out who is linked or turned down); the panel's rows as HTML, and
        what they propose as data."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = None
        if request.POST.get("article"):
            pk = parse_id(request.POST["article"])
            if pk is None:
                return JsonResponse({"error": "no such story."}, status=400)
            article = get_object_or_404(Article, pk=pk)
            if not self.has_change_permission(request, article):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        text = {
            part: request.POST.get(part, "").replace("\x00", "")
            for part in ("headline", "dek", "body")
        }
        suggestions = services.text_suggestions(**text, article=article)
        html = render_to_string(
            "admin/articles/article/_people_found.html",
            {
                "suggestions": suggestions,
                "has_text": any(value.strip() for value in text.values()),
                "mention_roles": Mention.Role.choices,
                "person_kinds": Person.Kind.choices,
            },
            request=request,
        )
        return JsonResponse(
            {
                "html": html,
                "people": [
                    {
                        "id": hit.person.person_id,
                        "name": hit.person.name,
                        "role": hit.role,
                    }
                    for hit in suggestions.hits
                ],
                "ambiguous": [name.text for name in suggestions.ambiguous],
                "new_names": [name.name for name in suggestions.new_names],
                "relationships": relationships_found_data(suggestions),
            }
        )

    def numbers_check_view(self, request):
        """The "Numbers check" panel for the story as it stands in the form,
        saved or not: POST headline, dek, body, the races chosen
        (`covered_races`), the people linked (`linked_person`), the publish date
        (`published_at_0`) and, for a saved story, `article` (its rejected
        people). The panel as HTML."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = None
        if request.POST.get("article"):
            pk = parse_id(request.POST["article"])
            if pk is None:
                return JsonResponse({"error": "no such story."}, status=400)
            article = get_object_or_404(Article, pk=pk)
            if not self.has_change_permission(request, article):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        text = {
            part: request.POST.get(part, "").replace("\x00", "")
            for part in ("headline", "dek", "body")
        }
        race_ids = {parse_id(v) for v in request.POST.getlist("covered_races")}
        people = {parse_id(v) for v in request.POST.getlist("linked_person")}
        try:
            day = forms.DateField(required=False).clean(
                request.POST.get("published_at_0", "")
            )
        except ValidationError:
            day = None
        if day is None and article is not None and article.published_at:
            day = timezone.localdate(article.published_at)  # a read-only time
        rejected = set()
        if article is not None:
            rejected = set(
                article.decisions.filter(
                    decision=MentionDecision.Decision.REJECTED
                ).values_list("person_id", flat=True)
            )
        report = numbers_check.check_story(
            **text,
            races=Race.objects.filter(pk__in=race_ids - {None}),
            day=day or timezone.localdate(),
            linked_people=people - {None},
            rejected_people=rejected,
        )
        html = render_to_string(
            "admin/articles/article/_numbers_check.html",
            {"report": report if any(v.strip() for v in text.values()) else None},
            request=request,
        )
        return JsonResponse({"html": html, "disagreements": len(report.disagreements)})

    def preview_view(self, request, pk):
        """Any story exactly as readers would see it, for staff only."""
        article = get_object_or_404(Article.objects.for_detail(), pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        context = {
            **story_context(request, article),
            "article": article,
            "preview": True,
        }
        response = TemplateResponse(request, "articles/article_detail.html", context)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        article = context.get("original")
        context["suggestions"] = (
            services.article_suggestions(article) if article else None
        )
        editable = (
            self.has_add_permission(request)
            if add
            else self.has_change_permission(request, article)
        )
        context["workflow_actions"] = (
            workflow_actions(request.user, article) if editable else []
        )
        context["autosave"] = (
            {
                "url": reverse("admin:articles_article_autosave", args=[article.pk]),
                "seconds": self.autosave_seconds,
            }
            if article is not None
            and editable
            and article.status == Article.Status.DRAFT
            else None
        )
        context["people_found_url"] = (
            reverse("admin:articles_article_people_found") if editable else None
        )
        context["numbers_check"] = (
            numbers_check.article_numbers_check(
                article, suggestions=context["suggestions"]
            )
            if article
            else None
        )
        context["numbers_check_url"] = (
            reverse("admin:articles_article_numbers_check") if editable else None
        )
        context["mention_roles"] = Mention.Role.choices
        context["person_kinds"] = Person.Kind.choices
        context["leave_site"] = self.leave_site_context(request, article, context)
        context["form_backup"] = (
            {
                # Per editor and story: a shared browser keeps each one's apart.
                "key": f"form-backup:{request.user.pk}:article:"
                + (str(article.pk) if article else "add"),
                "saved_at": (
                    f"{timezone.localtime(article.updated_at):%d %b %Y, %H:%M:%S}"
                    if article
                    else None
                ),
            }
            if editable
            else None
        )
        return super().render_change_form(request, context, add, change, **kwargs)

    def leave_site_context(self, request, article, context):
        """The "it will leave the site" warning of a live story's form, for an
        editor who may move its time: hidden until the time typed is in the
        future (compared in the newsroom's time zone with the server's clock), or
        shown at once when a save came back asking for the confirmation."""
        form = context["adminform"].form
        if (
            article is None
            or "published_at" not in form.fields
            or "confirm_leave_site" not in form.fields
        ):
            return None
        # As saved: a form sent back has the time it was given on its instance.
        saved_time = form.initial.get("published_at")
        if not (
            form.initial.get("status") == Article.Status.PUBLISHED
            and saved_time is not None
            and saved_time <= timezone.now()
        ):
            return None
        return {
            "field": form["confirm_leave_site"],
            "unconfirmed": form.leaves_site_unconfirmed,
            "now": f"{timezone.localtime():%Y-%m-%dT%H:%M:%S}",
        }

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        try:
            decisions = parse_suggestion_decisions(request.POST)
        except ValidationError as error:
            self.message_user(
                request,
                f"The people found in this story were not linked: {error.messages[0]}",
                messages.ERROR,
            )
            return
        if not any(decisions.values()):
            return
        fingerprints = services.article_suggestions(article).fingerprints
        created = services.article_link_people(
            article=article, fingerprints=fingerprints, user=request.user, **decisions
        )
        request.people_linked = created
        if created:
            names = ", ".join(
                f"{m.person.name} ({m.get_role_display().lower()})" for m in created
            )
            self.message_user(request, f"Linked {names}.", messages.SUCCESS)

    def construct_change_message(self, request, form, formsets, add=False):
        """The history note; people linked from the "People found" panel too."""
        message = super().construct_change_message(request, form, formsets, add)
        name = str(MentionInline.verbose_name)
        for entry in message:  # "Added mention …" reads as the form does
            for change in entry.values():
                if change.get("name") == str(Mention._meta.verbose_name):
                    change["name"] = name
        for mention in getattr(request, "people_linked", ()):
            message.append({"added": {"name": name, "object": str(mention)}})
        return message

    @admin.action(description="Link all suggested people to the selected stories")
    def link_all_suggested(self, request, queryset):
        linked = 0
        queryset = [a for a in queryset if services.may_edit(request.user, a)]
        for article in queryset:
            linked += len(
                services.article_link_all_suggested(article=article, user=request.user)
            )
        self.message_user(
            request,
            f"Linked {linked} people to {len(queryset)} stories.",
            messages.SUCCESS,
        )

    def get_urls(self):
        backfill = self.admin_site.admin_view(
            self.refusing_failures(self.backfill_view, "Nothing was linked")
        )
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path(
                "people-found/",
                self.admin_site.admin_view(self.people_found_view),
                name="articles_article_people_found",
            ),
            path(
                "numbers-check/",
                self.admin_site.admin_view(self.numbers_check_view),
                name="articles_article_numbers_check",
            ),
            path(
                "backfill/<int:person_id>/", backfill, name="articles_article_backfill"
            ),
            path("<int:pk>/preview/", preview, name="articles_article_preview"),
            path(
                "<int:pk>/autosave/",
                self.admin_site.admin_view(self.autosave_view),
                name="articles_article_autosave",
            ),
            path(
                "<int:pk>/history/<int:version_id>/changes/",
                self.admin_site.admin_view(self.changes_view),
                name="articles_article_changes",
            ),
            *super().get_urls(),
        ]

    def backfill_view(self, request, person_id):
        """Earlier stories that name a person, offered for linking in bulk."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        person = get_object_or_404(Person, pk=person_id)
        found = [
            (article, hit)
            for article, hit in services.person_backfill_candidates(person=person)
            if services.may_edit(request.user, article)
        ]
        if request.method == "POST":
            chosen = {parse_id(pk) for pk in request.POST.getlist("article")} - {None}
            role = request.POST.get("role", "suggested")
            if role not in [*Mention.Role.values, "suggested"]:
                role = "suggested"
            linked = services.person_link_stories(
                person=person,
                articles=[article for article, _hit in found if article.pk in chosen],
                role=role,
                roles={a.pk: hit.role for a, hit in found},
                user=request.user,
            )
            self.message_user(
                request, f"Linked {person.name} to {linked} stories.", messages.SUCCESS
            )
            return redirect(reverse("admin:people_person_change", args=[person.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Stories that name {person.name}",
            "person": person,
            "found": found,
            "published_count": sum(1 for a, _ in found if a.is_published),
            "mention_roles": Mention.Role.choices,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/articles/article/backfill.html", context
        )


def relationships_found_data(suggestions) -> list[dict]:
    """The relationships the panel proposes, as its script adds them to the
    story's inline."""
    return [
        {
            "subject": {"id": found.subject.person_id, "name": found.subject.name},
            "kind": found.kind,
            "object": {"id": found.object.person_id, "name": found.object.name},
            "amount": str(found.amount) if found.amount is not None else "",
            "quote": found.sentence,
        }
        for found in suggestions.relationships
    ]


def parse_suggestion_decisions(post) -> dict:
    """The editor's ticks in the "People found" panel, validated; a person may
    be given several roles (endorser and quoted)."""
    valid_roles = set(Mention.Role.values)

    def roles_of(prefix):
        roles = list(dict.fromkeys(post.getlist(f"{prefix}-role")))
        if not set(roles) <= valid_roles:
            raise ValidationError(
                f"“{(set(roles) - valid_roles).pop()}” is not a role."
            )
        return roles or [Mention.Role.MENTIONED]

    new_people = []
    wanted: dict[int, list[str]] = {}
    rejected: set[int] = set()
    for key, value in post.items():
        if key.startswith("suggestion-") and key.count("-") == 1 and value:
            person_id = parse_id(key.split("-")[1])
            if person_id is None or value not in ("link", "reject"):
                raise ValidationError("a suggestion was not understood.")
            roles = roles_of(key)
            if value == "link":
                wanted[person_id] = roles
            else:
                rejected.add(person_id)
        elif key.startswith("ambiguous-") and key.count("-") == 1 and value:
            chosen = parse_id(value)
            if chosen is None:
                raise ValidationError("an ambiguous name's choice was not understood.")
            wanted[chosen] = roles_of(key)
        elif key.startswith("newname-") and key.endswith("-kind") and value:
            prefix = key.removesuffix("-kind")
            name = " ".join(post.get(f"{prefix}-name", "").split())
            if value not in Person.Kind.values:
                raise ValidationError("a new person's kind or role was not understood.")
            roles = roles_of(prefix)
            if not name or len(name) > 200:
                raise ValidationError("a new person needs a name of up to 200 letters.")
            new_people.append((name, value, roles))
    people = Person.objects.in_bulk(set(wanted) | rejected)
    if len(people) < len(set(wanted) | rejected):
        raise ValidationError("a suggested person no longer exists.")
    links = [(people[pk], role) for pk, roles in wanted.items() for role in roles]
    rejections = [people[pk] for pk in rejected]
    return {"links": links, "rejections": rejections, "new_people": new_people}


admin.site.unregister(Tag)


@admin.register(Tag)
class NewsroomTagAdmin(
    NotSavedMixin, CheckedInputMixin, SummarizedDeletionMixin, TagAdmin
):
    form = TagForm
    actions = ["merge_tags"]

    @admin.action(
        description="Merge the selected tags into one", permissions=["change", "delete"]
    )
    def merge_tags(self, request, queryset):
        tags = list(queryset.order_by("name"))
        if len(tags) < 2:
            self.message_user(
                request, "Select two or more tags to merge.", messages.ERROR
            )
            return None
        into = next((t for t in tags if str(t.pk) == request.POST.get("into")), None)
        if into is None:
            return TemplateResponse(
                request,
                "admin/taggit/tag/merge.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Merge tags",
                    "tags": tags,
                    "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        for duplicate in tags:
            if duplicate.pk != into.pk:
                services.tag_merge(duplicate=duplicate, into=into)
        self.message_user(
            request,
            f"Merged {len(tags) - 1} tags into “{into.name}”.",
            messages.SUCCESS,
        )
        return None
