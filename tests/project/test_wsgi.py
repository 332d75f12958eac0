"""The WSGI application gunicorn loads."""

import gc
import importlib


def test_what_the_worker_loaded_is_out_of_the_collectors_sight():
    import newsroom.wsgi

    gc.unfreeze()
    try:
        importlib.reload(newsroom.wsgi)

        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
