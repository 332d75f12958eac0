import re

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal
from reversion.admin import VersionAdmin
from taggit.managers import TaggableManager

from core.admin_deletion import SummarizedDeletionMixin
from core.admin_input import CheckedInputMixin
from core.admin_labels import LabelledInlineMixin
from core.admin_paging import QuickActionCheckboxMixin
from core.admin_saves import NotSavedMixin
from core.keyset import in_id_order
from core.tags import NewsroomTagField
from core.text import strip_control_characters
from core.uploads import SafeImageField
from people.admin_autocomplete import (
    BadValueSafeAutocompleteAdminMixin,
    PrefetchedAutocompleteInlineMixin,
)
from people.models import (
    Alias,
    Candidacy,
    Election,
    Person,
    PersonRole,
    Race,
    RaceCall,
    ReportingUnit,
    ResultRow,
    ResultSnapshot,
)
from people.results_import import round_call_withdrawn, round_winner_set
from people.services import person_merge
from tagging.admin import FoldedTagsMessageMixin

STORIES_SHOWN_ON_PERSON_PAGE = 50
# A search for an identifier (Q42, H0GA06000, an AP number) finds its person.
IDENTIFIER = re.compile(
    r"^(?:[Qq][1-9][0-9]*|[HSPhsp][0-9][A-Za-z0-9]{2}[0-9]{5}|[0-9]+)$"
)


def latest_role_title() -> Subquery:
    """Each person's latest role (by start), “title, year”, for labels."""
    roles = PersonRole.objects.filter(person=OuterRef("pk")).order_by(
        "-start_date", "-id"
    )
    return Subquery(roles.values("title")[:1])


# Links typed without a scheme are taken as https (Django 6's default).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
TAGS = {TaggableManager: {"form_class": NewsroomTagField}}
PERSON_FIELDS = {
    **HTTPS_URL_FIELDS,
    **TAGS,
    models.ImageField: {"form_class": SafeImageField},
}


class AliasInline(LabelledInlineMixin, admin.TabularInline):
    model = Alias
    extra = 0


class PersonRoleInline(
    LabelledInlineMixin, PrefetchedAutocompleteInlineMixin, admin.TabularInline
):
    model = PersonRole
    extra = 0
    fields = ["title", "race", "start_date", "end_date"]
    autocomplete_fields = ["race"]
    verbose_name_plural = "roles through time (a story shows the one held on its date)"


def count_per_person(model, counted="pk", **conditions):
    """A subquery counting `model` rows of each listed person: worked out for the
    rows of the page only, where a join and GROUP BY counted every mention of every
    person (half a second at 100,000 stories) before showing 100 of them."""
    rows = (
        model.objects.filter(person=OuterRef("pk"), **conditions)
        .order_by()
        .values("person")
        .annotate(n=Count(counted, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


class PersonChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # Story counts are for the list only, not for autocomplete or the change form.
        # They go on the root queryset, before the list orders by them (a click on
        # the column's header). Mentions and decisions live in `articles`: reached
        # through the relations.
        if not getattr(self, "counts_added", False):
            mention = Person.mentions.field.model
            decision = Person.mention_decisions.field.model
            self.root_queryset = self.root_queryset.annotate(
                story_count=count_per_person(mention, counted="article"),
                accepted_count=count_per_person(decision, decision="accepted"),
                rejected_count=count_per_person(decision, decision="rejected"),
            )
            self.counts_added = True
        return super().get_queryset(request, exclude_parameters)


@admin.register(Person)
class PersonAdmin(
    NotSavedMixin,
    FoldedTagsMessageMixin,
    CheckedInputMixin,
    SummarizedDeletionMixin,
    QuickActionCheckboxMixin,
    VersionAdmin,
):
    list_display = [
        "name",
        "kind",
        "party",
        "story_count",
        "accepted_count",
        "rejected_count",
        "updated_at",
    ]
    list_filter = ["kind", "party", "show_without_stories"]
    search_fields = ["name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["stories_mentioning", "photo_name"]
    inlines = [AliasInline, PersonRoleInline]
    ordering = ["name"]
    formfield_overrides = PERSON_FIELDS
    actions = ["merge_people"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "party", "bio", "tags"]}),
        ("Reader site", {"fields": ["show_without_stories"]}),
        ("Photo", {"fields": ["photo", "photo_name", "photo_credit"]}),
        ("Links", {"fields": ["website", "social_handle"]}),
        (
            "Identifiers (tell apart people who share a name)",
            {
                "fields": [
                    "wikidata_id",
                    "fec_candidate_id",
                    "ballotpedia_slug",
                    "ap_candidate_id",
                ]
            },
        ),
        ("In the news", {"fields": ["stories_mentioning"]}),
    ]

    def get_changelist(self, request, **kwargs):
        return PersonChangeList

    def get_search_results(self, request, queryset, search_term):
        """Names and aliases through `PersonQuerySet.named` (trigram indexes on
        PostgreSQL): the admin's own search joined people to aliases and scanned
        every person, twice (count and page), on each keystroke of the people
        autocomplete. Quoted phrases stay one word, as in Django's search; control
        characters dropped (`CheckedInputMixin`, which this method comes before)."""
        words = [
            unescape_string_literal(bit)
            if bit[:1] in "\"'" and bit[0] == bit[-1]
            else bit
            for bit in smart_split(strip_control_characters(search_term))
        ]
        words = [word for word in words if word.strip()]
        # Each person's latest role, for the autocomplete's labels (namesakes).
        queryset = queryset.annotate(latest_role=latest_role_title())
        if not words:
            return queryset, False
        if len(words) == 1 and IDENTIFIER.match(words[0]):
            term = words[0].upper()
            found = queryset.filter(
                Q(wikidata_id=term) | Q(fec_candidate_id=term) | Q(ap_candidate_id=term)
            )
            return queryset.named(words) | found, False
        return queryset.named(words), False

    @admin.action(
        description="Merge the selected people into one",
        permissions=["change", "delete"],
    )
    def merge_people(self, request, queryset):
        people = list(queryset.order_by("name"))
        if len(people) < 2:
            self.message_user(
                request, "Select two or more people to merge.", messages.ERROR
            )
            return None
        into_pk = request.POST.get("into")
        if into_pk:
            into = next((p for p in people if str(p.pk) == into_pk), None)
            if into is None:
                self.message_user(
                    request, "Choose one of the selected people.", messages.ERROR
                )
                return None
            for duplicate in people:
                if duplicate.pk != into.pk:
                    person_merge(duplicate=duplicate, into=into)
            self.message_user(
                request,
                f"Merged {len(people) - 1} into {into.name}; their old pages redirect.",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/people/person/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge people",
                "people": people,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.display(description="linked", ordering="accepted_count")
    def accepted_count(self, person):
        return person.accepted_count

    @admin.display(description="rejected", ordering="rejected_count")
    def rejected_count(self, person):
        return person.rejected_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "photo" in form.changed_data:
            # Responsive images are the reader pages' business (articles app).
            from core.renditions import prepare_after_commit

            prepare_after_commit([obj.photo])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        names_changed = "name" in form.changed_data or any(
            formset.has_changed() for formset in formsets if formset.model is Alias
        )
        if names_changed:
            self.message_user(
                request,
                format_html(
                    'Earlier stories may name {}: <a href="{}">find and link them</a>.',
                    form.instance.name,
                    reverse("admin:articles_article_backfill", args=[form.instance.pk]),
                ),
                messages.INFO,
            )

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, person):
        return person.story_count

    @admin.display(description="Stories that mention this person")
    def stories_mentioning(self, person):
        """Stories not published (drafts, in review, pulled) first, then the
        published ones newest first; each linking to its admin page, with the roles
        played. Read in the order of the person's mention index (see
        `Mention.published_at`): the form of someone in 30,000 stories took 160 ms
        of SQL to sort them all."""
        if person.pk is None:
            return "—"
        ids = list(
            person.mentions.order_by(
                F("published_at").desc(nulls_first=True), "-article_id"
            )
            .values_list("article_id", flat=True)
            .distinct()[: STORIES_SHOWN_ON_PERSON_PAGE + 1]
        )
        with_roles = person.articles.model.objects.prefetch_related(
            Prefetch(
                "mentions",
                queryset=person.mentions.order_by("role"),
                to_attr="roles_of_person",
            )
        )
        stories = in_id_order(with_roles.defer("body", "search_vector"), ids)
        if not stories:
            return "No stories mention this person yet."
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> — {} <span class="quiet">({})</span></li>',
            (
                (
                    reverse("admin:articles_article_change", args=[article.pk]),
                    article.headline,
                    ", ".join(
                        m.get_role_display().lower() for m in article.roles_of_person
                    ),
                    article.get_status_display(),
                )
                for article in stories[:STORIES_SHOWN_ON_PERSON_PAGE]
            ),
        )
        more = ""
        if len(stories) > STORIES_SHOWN_ON_PERSON_PAGE:
            more = format_html(
                '<li><a href="{}?mentions__person__id__exact={}">All stories…</a></li>',
                reverse("admin:articles_article_changelist"),
                person.pk,
            )
        return format_html('<ul class="mentioned-in">{}{}</ul>', items, more)


class CandidacyInline(
    LabelledInlineMixin,
    PrefetchedAutocompleteInlineMixin,
    nested_admin.NestedTabularInline,
):
    model = Candidacy
    extra = 0
    autocomplete_fields = ["person"]
    fields = [
        "person",
        "party",
        "votes",
        "share",
        "is_incumbent",
        "is_winner",
        "advanced",
    ]
    readonly_fields = ["share"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("person", "election")
            .with_share()
        )

    @admin.display(description="share")
    def share(self, candidacy):
        share = getattr(candidacy, "vote_share", None)
        return "—" if share is None else f"{share:.2f}%"


class ElectionInline(nested_admin.NestedStackedInline):
    """A round of the race, with its candidates nested inside it."""

    model = Election
    extra = 0
    fields = [("date", "kind", "is_certified"), ("source", "source_url")]
    inlines = [CandidacyInline]
    formfield_overrides = HTTPS_URL_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("race")


@admin.register(ReportingUnit)
class ReportingUnitAdmin(NotSavedMixin, CheckedInputMixin, admin.ModelAdmin):
    """A race's counties (and precincts, added by imports): an import refuses a
    county not listed here."""

    list_display = ["name", "kind", "county", "race"]
    list_select_related = ["race"]
    list_filter = ["kind"]
    search_fields = ["name", "county", "race__name"]
    autocomplete_fields = ["race"]


class RaceCallForm(forms.ModelForm):
    class Meta:
        model = RaceCall
        fields = ["election", "winner", "called_by", "called_at", "basis"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The winner is one of the round's candidates: the round's own when it is
        # known (the election's "Call this round" link, or the form sent).
        election = self["election"].value()
        winners = Candidacy.objects.select_related("person", "election__race")
        if election and str(election).isdigit():
            winners = winners.filter(election_id=int(election))
        self.fields["winner"].queryset = winners


@admin.register(RaceCall)
class RaceCallAdmin(NotSavedMixin, CheckedInputMixin, admin.ModelAdmin):
    """The desk's call of a round: who called it, when, on what basis. The
    winner it names becomes the round's only winner; until a call (or
    certification), readers see no winner."""

    form = RaceCallForm
    list_display = ["election", "winner", "called_by", "called_at"]
    list_select_related = ["election__race", "winner__person"]
    search_fields = ["election__race__name", "winner__person__name"]
    autocomplete_fields = ["election"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        round_winner_set(obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        round_call_withdrawn(obj)

    def delete_queryset(self, request, queryset):
        calls = list(queryset.select_related("election"))
        super().delete_queryset(request, queryset)
        for call in calls:
            round_call_withdrawn(call)


class ResultRowInline(admin.TabularInline):
    model = ResultRow
    extra = 0
    fields = ["candidacy", "unit", "votes"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("candidacy__person", "unit")
            .order_by("unit__kind", "unit__name", "-votes")
        )


@admin.register(ResultSnapshot)
class ResultSnapshotAdmin(NotSavedMixin, CheckedInputMixin, admin.ModelAdmin):
    """Snapshots come from `manage.py import_results`; here they are read."""

    list_display = ["election", "status", "as_of", "source", "imported_at"]
    list_select_related = ["election__race"]
    list_filter = ["status"]
    search_fields = ["election__race__name", "source"]
    date_hierarchy = "as_of"
    inlines = [ResultRowInline]
    formfield_overrides = HTTPS_URL_FIELDS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Race)
class RaceAdmin(
    NotSavedMixin,
    FoldedTagsMessageMixin,
    CheckedInputMixin,
    SummarizedDeletionMixin,
    VersionAdmin,
    nested_admin.NestedModelAdmin,
):
    list_display = ["name", "seat", "office", "year", "is_special"]
    list_filter = ["office", "year", "is_special", "state", "show_without_stories"]
    search_fields = ["name", "district", "year"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ElectionInline]
    formfield_overrides = TAGS

    @admin.display(description="seat")
    def seat(self, race):
        return race.seat


@admin.register(Election)
class ElectionAdmin(
    NotSavedMixin,
    BadValueSafeAutocompleteAdminMixin,
    CheckedInputMixin,
    SummarizedDeletionMixin,
    VersionAdmin,
    nested_admin.NestedModelAdmin,
):
    """One round on its own page, for entering results on election night."""

    list_display = ["race", "kind", "date", "is_certified"]
    list_select_related = ["race"]
    list_filter = ["kind", "is_certified"]
    search_fields = ["race__name"]
    autocomplete_fields = ["race"]
    date_hierarchy = "date"
    inlines = [CandidacyInline]
    formfield_overrides = HTTPS_URL_FIELDS
    readonly_fields = ["desk_call"]

    @admin.display(description="call")
    def desk_call(self, election):
        if election.pk is None:
            return "—"
        call = RaceCall.objects.filter(election=election).first()
        if call is not None:
            url = reverse("admin:people_racecall_change", args=[call.pk])
            return format_html('<a href="{}">{}</a>', url, call)
        url = f"{reverse('admin:people_racecall_add')}?election={election.pk}"
        return format_html('<a href="{}">Call this round</a>', url)
