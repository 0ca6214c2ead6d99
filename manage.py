#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")
    # The statement timeout is for the serving processes only: a command (migrations over every
    # tenant schema, the search relay, repairs) must never be cut off (docs/operations.md).
    os.environ.pop("DATABASE_STATEMENT_TIMEOUT_MS", None)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
