"""Autocomplete inlines without a query per row.

Django's AutocompleteSelect looks up its selected option with one query per widget,
so an inline of 20 people costs 20 queries. These pieces look the labels up once for
the whole formset and hand them to every row's widget.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property


class PrefetchedAutocompleteSelect(AutocompleteSelect):
    """An AutocompleteSelect that renders from `labels` ({pk: label}) when given."""

    labels: dict[str, str] | None = None

    def optgroups(self, name, value, attr=None):
        if self.labels is None:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in (str(v) for v in value):
            if pk in self.labels:
                options.append(
                    self.create_option(name, pk, self.labels[pk], {pk}, len(options))
                )
                break
        return [(None, options, 0)]


class BadValueSafeMixin:
    """For Django's autocomplete widgets, which look the sent values up as they are:
    a form sent back with a malformed id (a doctored or broken POST; "abc" for a
    numeric key) failed with a 500 instead of showing the field's error. The
    malformed value is left out of the widget; the field's error says why."""

    def optgroups(self, name, value, attr=None):
        key = self.choices.queryset.model._meta.pk
        valid = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class BadValueSafeAutocompleteSelect(BadValueSafeMixin, AutocompleteSelect):
    pass


class BadValueSafeAutocompleteSelectMultiple(
    BadValueSafeMixin, AutocompleteSelectMultiple
):
    pass


class AutocompleteWidgetMixin:
    """For a ModelAdmin or an inline: its `autocomplete_fields` (foreign keys) drawn
    with `autocomplete_widget` instead of Django's `AutocompleteSelect`."""

    autocomplete_widget = AutocompleteSelect

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                self.autocomplete_widget(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BadValueSafeAutocompleteAdminMixin(AutocompleteWidgetMixin):
    """For a ModelAdmin: its `autocomplete_fields` as `BadValueSafeMixin` widgets."""

    autocomplete_widget = BadValueSafeAutocompleteSelect


def _autocomplete_widget(field):
    widget = field.widget
    return getattr(widget, "widget", widget)  # unwrap RelatedFieldWidgetWrapper


class PrefetchedLabelsFormSetMixin:
    """Look up the selected objects of `prefetched_fields` for all forms at once."""

    prefetched_fields: tuple[str, ...] = ()

    @cached_property
    def forms(self):
        forms = super().forms
        for name in self.prefetched_fields:
            field = self.form.base_fields[name]
            pk_field = field.queryset.model._meta.pk
            pks = set()
            for form in forms:
                try:
                    pk = pk_field.to_python(form[name].value())
                except ValidationError:
                    continue  # the form reports the bad value itself
                if pk not in (None, ""):
                    pks.add(pk)
            labels = {
                str(obj.pk): field.label_from_instance(obj)
                for obj in field.queryset.filter(pk__in=pks)
            }
            for form in forms:
                widget = _autocomplete_widget(form.fields[name])
                if isinstance(widget, PrefetchedAutocompleteSelect):
                    widget.labels = labels
        return forms


class PrefetchedAutocompleteInlineMixin(AutocompleteWidgetMixin):
    """For an admin inline: its `autocomplete_fields` render with one query in all."""

    autocomplete_widget = PrefetchedAutocompleteSelect

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(
            formset.__name__,
            (PrefetchedLabelsFormSetMixin, formset),
            {"prefetched_fields": tuple(self.get_autocomplete_fields(request))},
        )
