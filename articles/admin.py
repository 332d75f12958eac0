from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles import services
from articles.models import Article, Byline, Mention, Section
from people.admin_autocomplete import PrefetchedAutocompleteInlineMixin
from people.models import Person


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class BylineInline(PrefetchedAutocompleteInlineMixin, admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "position"]
    verbose_name = "byline"
    verbose_name_plural = "bylines (in the order they read)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class MentionInline(PrefetchedAutocompleteInlineMixin, admin.TabularInline):
    model = Mention
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "note"]
    verbose_name = "person in this story"
    verbose_name_plural = "people in this story"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list never shows bodies; don't load them.
        return super().get_queryset(request, exclude_parameters).defer("body")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "section", "published_at", "people_in_story"]
    list_select_related = ["section"]
    list_filter = ["status", "section", "tags", "mentions__person__kind"]
    search_fields = ["headline", "body", "mentions__person__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["races"]
    inlines = [BylineInline, MentionInline]
    show_full_result_count = False  # no second COUNT(*) of the whole archive per page
    save_on_top = True
    change_form_template = "admin/articles/article/change_form.html"
    actions = ["link_all_suggested"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Room to write: a tall body, a two-line dek.
        rows = {"body": 24, "dek": 2}.get(db_field.name)
        if rows:
            kwargs["widget"] = forms.Textarea(
                attrs={"rows": rows, "class": "vLargeTextField"}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    fieldsets = [
        (
            None,
            {"fields": ["headline", "slug", "dek", "body", "section", "tags", "races"]},
        ),
        (
            "Lead image",
            {
                "fields": [
                    "lead_image",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
        ),
        ("Publishing", {"fields": ["status", "published_at"]}),
    ]

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

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

    @admin.display(description="people")
    def people_in_story(self, article):
        names = dict.fromkeys(mention.person.name for mention in article.people_listed)
        return ", ".join(names) or "—"

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        article = context.get("original")
        context["suggestions"] = (
            services.article_suggestions(article) if article else None
        )
        context["mention_roles"] = Mention.Role.choices
        context["person_kinds"] = Person.Kind.choices
        return super().render_change_form(request, context, add, change, **kwargs)

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
        if created:
            names = ", ".join(
                f"{m.person.name} ({m.get_role_display().lower()})" for m in created
            )
            self.message_user(request, f"Linked {names}.", messages.SUCCESS)

    @admin.action(description="Link all suggested people to the selected stories")
    def link_all_suggested(self, request, queryset):
        linked = 0
        for article in queryset:
            linked += len(
                services.article_link_all_suggested(article=article, user=request.user)
            )
        self.message_user(
            request,
            f"Linked {linked} people to {queryset.count()} stories.",
            messages.SUCCESS,
        )

    def get_urls(self):
        backfill = self.admin_site.admin_view(self.backfill_view)
        return [
            path(
                "backfill/<int:person_id>/", backfill, name="articles_article_backfill"
            ),
            *super().get_urls(),
        ]

    def backfill_view(self, request, person_id):
        """Earlier stories that name a person, offered for linking in bulk."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        person = get_object_or_404(Person, pk=person_id)
        found = services.person_backfill_candidates(person=person)
        if request.method == "POST":
            chosen = {int(pk) for pk in request.POST.getlist("article") if pk.isdigit()}
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


def parse_suggestion_decisions(post) -> dict:
    """The editor's ticks in the "People found" panel, validated."""
    roles = set(Mention.Role.values)
    links, rejections, new_people = [], [], []
    wanted: dict[int, str] = {}
    rejected: set[int] = set()
    for key, value in post.items():
        if key.startswith("suggestion-") and key.count("-") == 1 and value:
            person_id = key.split("-")[1]
            if not person_id.isdigit() or value not in ("link", "reject"):
                raise ValidationError("a suggestion was not understood.")
            role = post.get(f"{key}-role", Mention.Role.MENTIONED)
            if role not in roles:
                raise ValidationError(f"“{role}” is not a role.")
            if value == "link":
                wanted[int(person_id)] = role
            else:
                rejected.add(int(person_id))
        elif key.startswith("ambiguous-") and key.count("-") == 1 and value:
            if not value.isdigit():
                raise ValidationError("an ambiguous name's choice was not understood.")
            role = post.get(f"{key}-role", Mention.Role.MENTIONED)
            if role not in roles:
                raise ValidationError(f"“{role}” is not a role.")
            wanted[int(value)] = role
        elif key.startswith("newname-") and key.endswith("-kind") and value:
            prefix = key.removesuffix("-kind")
            name = " ".join(post.get(f"{prefix}-name", "").split())
            role = post.get(f"{prefix}-role", Mention.Role.MENTIONED)
            if value not in Person.Kind.values or role not in roles:
                raise ValidationError("a new person's kind or role was not understood.")
            if not name or len(name) > 200:
                raise ValidationError("a new person needs a name of up to 200 letters.")
            new_people.append((name, value, role))
    people = Person.objects.in_bulk(set(wanted) | rejected)
    if len(people) < len(set(wanted) | rejected):
        raise ValidationError("a suggested person no longer exists.")
    links = [(people[pk], role) for pk, role in wanted.items()]
    rejections = [people[pk] for pk in rejected]
    return {"links": links, "rejections": rejections, "new_people": new_people}
