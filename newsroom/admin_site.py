"""The admin site: Django's, but for the autocomplete's labels.

An object with an `autocomplete_label` (a person: “Jon Ossoff (Q…)”, see
`people.models.Person.autocomplete_label`) is offered under it in every
autocomplete, so that people who share a name can be told apart; others under
`str()`, as Django does. Overridden as Django documents: `serialize_result()` of
`AutocompleteJsonView`, and `AdminSite.autocomplete_view()`.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(obj, "autocomplete_label", None)
        if label:
            result["text"] = label
        return result


class NewsroomAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)
