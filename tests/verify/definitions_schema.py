"""Validates every department definition (TOML) against the published JSON
Schemas with the `jsonschema` package, an implementation nobody here wrote:
what an editor holding the schema would flag, the files must not contain.

usage: definitions_schema.py SCHEMA_DIR DEPARTMENT_DIR...
Prints one line per problem and exits 1 when there is any.
"""

import json
import pathlib
import sys
import tomllib

from jsonschema import Draft202012Validator


def main() -> int:
    schemas = pathlib.Path(sys.argv[1])
    department = Draft202012Validator(json.loads((schemas / "department.schema.json").read_text()))
    service = Draft202012Validator(json.loads((schemas / "service.schema.json").read_text()))
    Draft202012Validator.check_schema(department.schema)
    Draft202012Validator.check_schema(service.schema)
    problems = 0
    files = 0
    for root in sys.argv[2:]:
        data = pathlib.Path(root) / "data"
        checks = [(data / "department.toml", department)]
        checks += [(path, service) for path in sorted((data / "services").glob("*.toml"))]
        for path, validator in checks:
            files += 1
            document = tomllib.loads(path.read_text(encoding="utf-8"))
            for error in validator.iter_errors(document):
                where = "/".join(str(p) for p in error.absolute_path) or "(top)"
                print(f"{path}: {where}: {error.message}")
                problems += 1
    print(f"{files} files, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
