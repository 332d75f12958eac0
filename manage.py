#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # Commands (migrations, imports) may wait longer on PostgreSQL than a web
    # request (newsroom/settings.py, PG_WAITS); the development server is web.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("NEWSROOM_PROCESS", "command")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
