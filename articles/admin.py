from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Prefetch

from articles.models import Article, Byline, Mention, Section
from people.admin_autocomplete import PrefetchedAutocompleteInlineMixin


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
