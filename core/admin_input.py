"""Admin lists answer garbled input with a message, never a 500.

Django's admin filters a list by the values in its address as sent, and runs an
action on the ticked ids as sent (`pk__in=[...]`). A filter value with a NUL
character reached PostgreSQL, which cannot compare one; a ticked "id" that was
not a number raised inside the action. With `CheckedInputMixin` the first gets
the list without that filter, the second the list as it was, each with a
warning, and nothing is changed. A search drops control characters: the list's
search form refuses a NUL, but the autocomplete passes what was typed as it came.
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from core.text import strip_control_characters


class CheckedInputMixin:
    def changelist_view(self, request, extra_context=None):
        garbled = [
            name
            for name, values in request.GET.lists()
            # The search box is free text: its searches drop control characters.
            if name != SEARCH_VAR and any("\x00" in text for text in [name, *values])
        ]
        if garbled:
            query = request.GET.copy()
            for name in garbled:
                del query[name]
            self.message_user(
                request,
                "A filter in the address was not understood and was left out.",
                messages.WARNING,
            )
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(
            request, queryset, strip_control_characters(search_term)
        )

    def response_action(self, request, queryset):
        primary_key = self.model._meta.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                primary_key.to_python(value)
        except ValidationError:
            self.message_user(
                request,
                "The selection was not understood (a row's id was not an id); "
                "nothing was changed. Tick the rows again.",
                messages.WARNING,
            )
            return None  # the admin shows the list again, with the message
        return super().response_action(request, queryset)
