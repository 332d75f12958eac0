"""Django's template engine with the one tag the reader pages' old Django
templates used beside the built-ins (`{% picture %}`), for the tests that hold the
Python renderers (teasers, a story's people) to the templates they replaced."""

from django import template
from django.template import Engine

from core.renditions import picture

register = template.Library()
register.simple_tag(picture)

REFERENCE = Engine(libraries={"newsroom": "tests.reference_templates"})
