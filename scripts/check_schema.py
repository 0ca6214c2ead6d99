"""Breaking-change check of the committed schema against the last released one (make lint).

``schema.graphql`` is the schema of the code (a test fails when they drift); the schema clients
were last promised is ``docs/schema/released.graphql``. graphql-core's ``find_breaking_changes``
lists what would break a client written against the released schema (a removed field, a new
required argument, a changed type...): any of those fails the check. Dangerous changes (a new enum
value, a changed default) are printed but pass. ``make schema-release`` records the current
schema as released. Policy: docs/api.md, "Schema evolution".
"""

import sys
from pathlib import Path

from graphql import build_schema, find_breaking_changes, find_dangerous_changes

ROOT = Path(__file__).resolve().parent.parent
CURRENT = ROOT / "schema.graphql"
RELEASED = ROOT / "docs" / "schema" / "released.graphql"


def compare(released_sdl: str, current_sdl: str) -> tuple[list[str], list[str]]:
    """(breaking, dangerous) changes from the released schema to the current one, as sentences."""
    released, current = build_schema(released_sdl), build_schema(current_sdl)
    breaking = [f"{change.type.name}: {change.description}" for change in find_breaking_changes(released, current)]
    dangerous = [f"{change.type.name}: {change.description}" for change in find_dangerous_changes(released, current)]
    return breaking, dangerous


def main() -> int:
    breaking, dangerous = compare(RELEASED.read_text(), CURRENT.read_text())
    for change in dangerous:
        print(f"schema: dangerous change (allowed, mention it in the changelog): {change}")
    for change in breaking:
        print(f"schema: BREAKING change against {RELEASED.relative_to(ROOT)}: {change}")
    if breaking:
        print("Deprecate with @deprecated instead of removing or changing (docs/api.md, Schema evolution).")
        return 1
    print(f"schema: no breaking changes against {RELEASED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
