"""Relationships in the admin: the story's inline "Relationships this story
reports" and the relationships' own list, each with its sources.

Every write goes through the services (`articles.services`): a row of the story's
inline makes its relationship, or reuses an identical one, and keeps one primary
source per relationship.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError

from articles import services
from articles.models import RelationshipSource
from core.admin_deletion import SummarizedDeletionMixin
from core.admin_input import CheckedInputMixin
from core.admin_labels import LabelledInlineMixin
from core.admin_saves import NotSavedMixin
from people.admin_autocomplete import (
    BadValueSafeAutocompleteAdminMixin,
    BadValueSafeMixin,
    PrefetchedAutocompleteInlineMixin,
    PrefetchedAutocompleteSelect,
    PrefetchedLabelsFormSetMixin,
)
from people.models import Person, Race, Relationship

# The relationship's own fields, edited in the story's inline beside the source's.
RELATIONSHIP_FIELDS = [
    "subject",
    "kind",
    "object_person",
    "object_race",
    "amount",
    "date",
]
LINKS = ("subject", "object_person", "object_race")


class RelationshipAutocomplete(BadValueSafeMixin, PrefetchedAutocompleteSelect):
    pass


def _autocomplete(name: str) -> RelationshipAutocomplete:
    """The admin's person or race autocomplete, as for `Relationship.<name>`."""
    return RelationshipAutocomplete(Relationship._meta.get_field(name), admin.site)


def check_one_object(form, cleaned: dict) -> None:
    """A person or a race, one of them; never the subject themselves."""
    person, race = cleaned.get("object_person"), cleaned.get("object_race")
    if person is None and race is None and "object_person" not in form.errors:
        form.add_error("object_person", "Choose the person (or the race) it was for.")
    elif person is not None and race is not None:
        form.add_error("object_race", "Choose the person or the race, not both.")
    elif person is not None and person == cleaned.get("subject"):
        form.add_error("object_person", "Choose someone other than who did it.")


class RelationshipReportForm(forms.ModelForm):
    """One relationship the story reports: the relationship's values, and the
    story's sentence that says so."""

    subject = forms.ModelChoiceField(
        Person.objects.all(), label="who", widget=_autocomplete("subject")
    )
    kind = forms.ChoiceField(
        choices=[("", "---------"), *Relationship.Kind.choices], label="did what"
    )
    object_person = forms.ModelChoiceField(
        Person.objects.all(),
        required=False,
        label="for or against whom",
        widget=_autocomplete("object_person"),
    )
    object_race = forms.ModelChoiceField(
        Race.objects.all(),
        required=False,
        label="or which race",
        widget=_autocomplete("object_race"),
    )
    amount = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        label="amount ($)",
        widget=forms.NumberInput(attrs={"style": "width: 7em"}),
    )
    date = forms.DateField(required=False, widget=AdminDateWidget)

    class Meta:
        model = RelationshipSource
        fields = ["quote", "is_primary"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 2, "cols": 36})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            relationship = self.instance.relationship
            for name in RELATIONSHIP_FIELDS:
                attribute = f"{name}_id" if name in LINKS else name
                self.initial.setdefault(name, getattr(relationship, attribute))

    def clean(self):
        cleaned = super().clean()
        check_one_object(self, cleaned)
        return cleaned

    def relationship_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in RELATIONSHIP_FIELDS}

    def identity(self) -> tuple:
        values = self.relationship_values()
        return tuple(getattr(v, "pk", v) for v in values.values())


class RelationshipReportFormSet(PrefetchedLabelsFormSetMixin, forms.BaseInlineFormSet):
    """The story's reports, saved through the services."""

    prefetched_fields = LINKS

    def __init__(self, data=None, *args, prefix=None, **kwargs):
        # A story form posted without this inline (a script, a form saved from
        # before the inline existed) leaves the story's reports as they are,
        # rather than refusing the whole save for want of its management form.
        total = f"{prefix or self.get_default_prefix()}-TOTAL_FORMS"
        if data is not None and total not in data:
            data = data.copy()
            data[total] = "0"
            data[total.replace("TOTAL", "INITIAL")] = "0"
        super().__init__(data, *args, prefix=prefix, **kwargs)

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            if not form.has_changed() and form.instance.pk is None:
                continue
            identity = form.identity()
            if identity in seen:
                raise ValidationError(
                    "The same relationship is in two rows: keep one of them."
                )
            seen.add(identity)

    def save_new(self, form, commit=True):
        return services.relationship_report(
            article=self.instance,
            quote=form.cleaned_data["quote"],
            is_primary=form.cleaned_data["is_primary"],
            **form.relationship_values(),
        )

    def save_existing(self, form, obj, commit=True):
        return services.relationship_source_update(
            source=obj,
            quote=form.cleaned_data["quote"],
            is_primary=form.cleaned_data["is_primary"],
            **form.relationship_values(),
        )

    def delete_existing(self, obj, commit=True):
        if commit:
            services.relationship_source_remove(source=obj)


class RelationshipReportInline(LabelledInlineMixin, admin.TabularInline):
    """On the story's page: "Relationships this story reports"."""

    model = RelationshipSource
    form = RelationshipReportForm
    formset = RelationshipReportFormSet
    extra = 0
    fields = [*RELATIONSHIP_FIELDS, "quote", "is_primary"]
    verbose_name = "relationship this story reports"
    verbose_name_plural = "relationships this story reports"

    def get_queryset(self, request):
        # Each row prints its source (`RelationshipSource.__str__`): who, what
        # and whom, joined here rather than looked up row by row.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "relationship__subject",
                "relationship__object_person",
                "relationship__object_race",
            )
        )


class RelationshipSourceFormSet(forms.BaseInlineFormSet):
    """A relationship's sources, saved through the services (one primary)."""

    def save_new(self, form, commit=True):
        source = form.save(commit=False)
        source.relationship = self.instance
        return services.relationship_source_save(source=source)

    def save_existing(self, form, obj, commit=True):
        return services.relationship_source_save(source=form.save(commit=False))

    def delete_existing(self, obj, commit=True):
        if commit:
            services.relationship_source_remove(source=obj)


class RelationshipSourceInline(
    LabelledInlineMixin, PrefetchedAutocompleteInlineMixin, admin.TabularInline
):
    model = RelationshipSource
    formset = RelationshipSourceFormSet
    extra = 0
    autocomplete_fields = ["article"]
    fields = ["article", "quote", "is_primary"]
    verbose_name = "source"
    verbose_name_plural = "sources (the stories that report it)"


class RelationshipAdminForm(forms.ModelForm):
    class Meta:
        model = Relationship
        fields = RELATIONSHIP_FIELDS

    def clean(self):
        cleaned = super().clean()
        check_one_object(self, cleaned)
        if self.errors:
            return cleaned
        same = Relationship.objects.filter(
            **{name: cleaned.get(name) for name in RELATIONSHIP_FIELDS}
        ).exclude(pk=self.instance.pk)
        if same.exists():
            raise ValidationError(
                "This relationship is recorded already: add this source to it."
            )
        return cleaned


@admin.register(Relationship)
class RelationshipAdmin(
    NotSavedMixin,
    CheckedInputMixin,
    SummarizedDeletionMixin,
    BadValueSafeAutocompleteAdminMixin,
    admin.ModelAdmin,
):
    form = RelationshipAdminForm
    list_display = ["subject", "kind", "object_person", "object_race", "amount", "date"]
    list_select_related = ["subject", "object_person", "object_race"]
    list_filter = ["kind", "object_race"]
    search_fields = [
        "subject__name",
        "subject__aliases__name",
        "object_person__name",
        "object_race__name",
        "sources__quote",
    ]
    autocomplete_fields = ["subject", "object_person", "object_race"]
    fields = RELATIONSHIP_FIELDS
    inlines = [RelationshipSourceInline]
