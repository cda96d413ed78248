"""GitHub's REST contract, from the OpenAPI description in npm `@octokit/openapi` (pinned in
package.json): the operations the fake server implements, their parameters, request bodies and
responses, checked with jsonschema.

The description is OpenAPI 3.0 (`nullable: true`, `$ref` to `#/components/...`). Only the schemas
reachable from the implemented operations are taken out of the 13 MB document, rewritten as JSON
Schema (nullable becomes a `null` alternative) and validated with Draft 4 rules, which match
OpenAPI 3.0's (a `$ref` ignores its siblings, `exclusiveMinimum` is a boolean).
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.support.paths import ROOT

SPEC_PATH = ROOT / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"
BUNDLE_URI = "urn:mentormemed:github-openapi"

# (method, path template) of every route the fake server answers.
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("GET", "/user"),
    ("GET", "/repos/{owner}/{repo}"),
    ("GET", "/repos/{owner}/{repo}/issues"),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
    ("POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"),
    ("GET", "/repos/{owner}/{repo}/labels"),
    ("POST", "/repos/{owner}/{repo}/labels"),
    ("GET", "/repos/{owner}/{repo}/labels/{name}"),
    ("PATCH", "/repos/{owner}/{repo}/labels/{name}"),
    ("DELETE", "/repos/{owner}/{repo}/labels/{name}"),
    ("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/lock"),
    ("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/lock"),
    # issue 17: branches, files and pull requests (the profile bot and the pull-request summary)
    ("GET", "/repos/{owner}/{repo}/git/ref/{ref}"),
    ("POST", "/repos/{owner}/{repo}/git/refs"),
    ("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}"),
    ("GET", "/repos/{owner}/{repo}/contents/{path}"),
    ("PUT", "/repos/{owner}/{repo}/contents/{path}"),
    ("GET", "/repos/{owner}/{repo}/pulls"),
    ("POST", "/repos/{owner}/{repo}/pulls"),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    ("PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    # issue 16: the reminder job opens one issue per program
    ("POST", "/repos/{owner}/{repo}/issues"),
)

NO_BODY: Any = object()
_IGNORED = frozenset({"example", "examples", "description", "title", "nullable", "discriminator"})


@dataclass
class Parameter:
    name: str
    location: str  # "path" or "query"
    required: bool
    validator: Draft4Validator


@dataclass
class Operation:
    method: str
    template: str
    operation_id: str
    pattern: re.Pattern[str]
    parameters: dict[tuple[str, str], Parameter] = field(default_factory=dict)
    body_required: bool = False
    body: Draft4Validator | None = None
    responses: dict[int, Draft4Validator | None] = field(default_factory=dict)


class Contract:
    """The implemented operations, ready to check requests and responses."""

    def __init__(self, spec: dict[str, Any], operations: tuple[tuple[str, str], ...] = OPERATIONS) -> None:
        self.version = str(spec.get("info", {}).get("version", "?"))
        self._spec = spec
        self._components: dict[str, Any] = {}
        self._pending: list[str] = []
        self.operations: list[Operation] = []
        pending: list[tuple[Operation, list[dict[str, Any]], dict[tuple[Any, ...], Any]]] = []
        for method, template in operations:
            pending.append(self._operation(method, template))
            self.operations.append(pending[-1][0])
        while self._pending:
            name = self._pending.pop()
            if name not in self._components:
                self._components[name] = None  # reserve before converting (recursive schemas)
                self._components[name] = self._convert(spec["components"]["schemas"][name])
        bundle = {"components": {"schemas": self._components}}
        resource = Resource.from_contents(bundle, default_specification=DRAFT4)
        self._registry: Registry[Any] = Registry().with_resource(BUNDLE_URI, resource)
        for op, raw_params, schemas in pending:
            self._finish(op, raw_params, schemas)
        self.basic_error = self._validator({"$ref": f"{BUNDLE_URI}#/components/schemas/basic-error"})

    # -- building -----------------------------------------------------------------------------

    def _deref(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            parts = node["$ref"].removeprefix("#/").split("/")
            target: Any = self._spec
            for part in parts:
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def _convert(self, schema: Any) -> Any:
        """OpenAPI 3.0 schema → JSON Schema (draft 4) with absolute `$ref`s into the bundle."""
        if isinstance(schema, list):
            return [self._convert(item) for item in schema]
        if not isinstance(schema, dict):
            return schema
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key == "$ref":
                match = re.fullmatch(r"#/components/schemas/(.+)", value)
                if match is None:
                    raise ValueError(f"unexpected $ref {value}")
                self._pending.append(match.group(1))
                out[key] = f"{BUNDLE_URI}#/components/schemas/{match.group(1)}"
            elif key in ("properties", "patternProperties", "definitions"):
                out[key] = {name: self._convert(sub) for name, sub in value.items()}
            elif key in _IGNORED or key.startswith("x-"):
                continue
            else:
                out[key] = self._convert(value)
        if schema.get("nullable") is True:
            if "$ref" in out or "type" not in out:
                return {"anyOf": [out, {"type": "null"}]}
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*types, "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        return out

    def _operation(
        self, method: str, template: str
    ) -> tuple[Operation, list[dict[str, Any]], dict[tuple[Any, ...], Any]]:
        path_item = self._spec["paths"][template]
        raw = path_item[method.lower()]
        raw_params = [self._deref(p) for p in [*path_item.get("parameters", []), *raw.get("parameters", [])]]
        # issue 17: a parameter marked `x-multi-segment` (a file path, a git ref) may hold slashes
        multi = {p["name"] for p in raw_params if p.get("in") == "path" and p.get("x-multi-segment")}

        def segment(match: re.Match[str]) -> str:
            name = match.group(1)
            return f"(?P<{name}>{'.+' if name in multi else '[^/]+'})"

        pattern = re.compile("^" + re.sub(r"\\\{(\w+)\\\}", segment, re.escape(template)) + "$")
        op = Operation(method, template, raw["operationId"], pattern)
        schemas: dict[tuple[Any, ...], Any] = {
            ("param", p["in"], p["name"]): self._convert(p.get("schema", {})) for p in raw_params
        }
        body = raw.get("requestBody")
        if body is not None:
            body = self._deref(body)
            op.body_required = bool(body.get("required", False))
            schema = body.get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                schemas[("body",)] = self._convert(schema)
        for status, response in raw.get("responses", {}).items():
            response = self._deref(response)
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            schemas[("response", int(status))] = None if schema is None else self._convert(schema)
        return op, raw_params, schemas

    def _validator(self, schema: Any) -> Draft4Validator:
        return Draft4Validator(schema, registry=self._registry)

    def _finish(
        self, op: Operation, raw_params: list[dict[str, Any]], schemas: dict[tuple[Any, ...], Any]
    ) -> None:
        for p in raw_params:
            if p["in"] not in ("path", "query"):
                continue
            op.parameters[(p["in"], p["name"])] = Parameter(
                p["name"],
                p["in"],
                bool(p.get("required", False)),
                self._validator(schemas[("param", p["in"], p["name"])]),
            )
        if ("body",) in schemas:
            op.body = self._validator(schemas[("body",)])
        for key, schema in schemas.items():
            if key[0] == "response":
                op.responses[key[1]] = None if schema is None else self._validator(schema)

    # -- checking -----------------------------------------------------------------------------

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        for op in self.operations:
            if op.method == method:
                m = op.pattern.match(path)
                if m:
                    return op, m.groupdict()
        return None

    @staticmethod
    def _coerce(value: str, validator: Draft4Validator) -> Any:
        kind = validator.schema.get("type") if isinstance(validator.schema, dict) else None
        kinds = kind if isinstance(kind, list) else [kind]
        if "integer" in kinds and re.fullmatch(r"-?\d+", value):
            return int(value)
        if "boolean" in kinds and value in ("true", "false"):
            return value == "true"
        return value

    def check_request(
        self, op: Operation, path_params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> list[str]:
        errors: list[str] = []
        where = f"{op.method} {op.template}"
        for (location, name), param in op.parameters.items():
            if location == "path":
                values = [path_params[name]] if name in path_params else []
            else:
                values = query.get(name, [])
            if param.required and not values:
                errors.append(f"{where}: missing {location} parameter {name!r}")
            for value in values:
                for error in param.validator.iter_errors(self._coerce(value, param.validator)):
                    errors.append(f"{where}: {location} parameter {name}={value!r}: {error.message}")
        for name in query:
            if ("query", name) not in op.parameters:
                errors.append(f"{where}: unknown query parameter {name!r}")
        if body is NO_BODY:
            if op.body_required:
                errors.append(f"{where}: request body required")
        elif op.body is None:
            errors.append(f"{where}: this operation takes no request body")
        else:
            for error in op.body.iter_errors(body):
                errors.append(f"{where}: request body {list(error.absolute_path)}: {error.message}")
        return errors

    def check_response(self, op: Operation, status: int, body: Any) -> list[str]:
        where = f"{op.method} {op.template} → {status}"
        if status in op.responses:
            validator = op.responses[status]
            if validator is None:
                return [] if body is NO_BODY else [f"{where}: documented without a body, got one"]
        elif status >= 400:
            validator = self.basic_error
        else:
            return [f"{where}: status not documented for {op.operation_id}"]
        if body is NO_BODY:
            return [f"{where}: documented with a JSON body, got none"]
        return [
            f"{where}: response {list(e.absolute_path)}: {e.message[:300]}"
            for e in validator.iter_errors(body)
        ]

    def example(self, name: str) -> Any:
        """A deep copy of `components/examples/NAME` — real response shapes to build on."""
        return copy.deepcopy(self._spec["components"]["examples"][name]["value"])


@functools.lru_cache(maxsize=1)
def load_contract() -> Contract:
    """Read the description once per test session (about 13 MB of JSON)."""
    if not SPEC_PATH.is_file():
        raise FileNotFoundError(f"{SPEC_PATH} is missing: run `npm ci` (make install does)")
    with SPEC_PATH.open(encoding="utf-8") as fh:
        spec = json.load(fh)
    return Contract(spec)
