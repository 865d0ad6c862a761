"""MkDocs hooks: the CLI and REST reference pages are generated at build time.

A page holding ``<!-- generated: cli -->`` gets every ``kg`` command, rendered from the
typer application (usage, help, arguments and options with their defaults); one holding
``<!-- generated: rest -->`` gets every route of the OpenAPI schema of ``api.app``
(parameters, request body, statuses). Both come from the code at each build, so they
cannot drift from it. Nothing is fetched from the network.
"""

from __future__ import annotations

import enum
import inspect
from typing import Any

CLI_MARKER = "<!-- generated: cli -->"
REST_MARKER = "<!-- generated: rest -->"


def on_page_markdown(markdown: str, **_: Any) -> str:
    if CLI_MARKER in markdown:
        markdown = markdown.replace(CLI_MARKER, cli_reference())
    if REST_MARKER in markdown:
        markdown = markdown.replace(REST_MARKER, rest_reference())
    return markdown


def cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def cli_reference() -> str:
    import typer

    from kg.cli.main import app

    group = typer.main.get_command(app)  # typer vendors click: duck-typed below
    context = group.context_class(group, info_name="kg")
    parts = []
    for name, command in group.commands.items():
        sub = command.context_class(command, info_name=name, parent=context)
        usage = " ".join(command.collect_usage_pieces(sub))
        parts.append(f"## kg {name}\n\n```\nkg {name} {usage}\n```\n")
        parts.append(inspect.cleandoc(command.help or "") + "\n")
        rows = []
        for param in command.params:
            if param.param_type_name == "argument":
                names = f"`{param.name.upper()}`"
                default = ""
            else:
                names = ", ".join(f"`{opt}`" for opt in param.opts + param.secondary_opts)
                shown = param.default not in (None, False, (), [])
                default = f"`{param.default}`" if shown and not callable(param.default) else ""
            if names == "`--help`":
                continue
            kind = type_name(param)
            help_text = getattr(param, "help", None) or ""
            required = " (required)" if param.required else ""
            rows.append(f"| {names} | {cell(kind)} | {default} | {cell(help_text)}{required} |")
        if rows:
            parts.append("| argument or option | type | default | meaning |\n|---|---|---|---|")
            parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def type_name(param: Any) -> str:
    annotation = param.type_descriptor.annotation
    if getattr(param, "is_bool_flag", False) or annotation is bool:
        return "flag"
    name = getattr(annotation, "__name__", None)
    if name is None or getattr(annotation, "__args__", None):
        name = str(annotation).replace("typing.", "")
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        name = " | ".join(str(member.value) for member in annotation)
    if param.min is not None or param.max is not None:
        name += f" ({param.min if param.min is not None else ''}–{param.max or ''})"
    return name


def rest_reference() -> str:
    from api.app import create_app

    schema = create_app().openapi()
    parts = []
    for route, operations in schema["paths"].items():
        for method, operation in operations.items():
            title = operation.get("summary", "")
            parts.append(f"## `{method.upper()} {route}`\n\n{title}\n")
            if operation.get("description"):
                parts.append(operation["description"].strip() + "\n")
            params = operation.get("parameters", [])
            if params:
                parts.append("| parameter | in | type | default | meaning |\n|---|---|---|---|---|")
                for param in params:
                    ptype = param_type(param.get("schema", {}))
                    default = param.get("schema", {}).get("default", "")
                    default = f"`{default}`" if default != "" else ""
                    required = " (required)" if param.get("required") else ""
                    parts.append(
                        f"| `{param['name']}` | {param['in']} | {cell(ptype)} | {default} "
                        f"| {cell(param.get('description', ''))}{required} |"
                    )
                parts.append("")
            body = operation.get("requestBody", {}).get("content", {})
            if body:
                parts.append("Request body: " + ", ".join(f"`{kind}`" for kind in body) + "\n")
            if operation.get("security"):
                parts.append("Needs the update token (`Authorization: Bearer $KG_UPDATE_TOKEN`).\n")
            statuses = operation.get("responses", {})
            parts.append("| status | meaning |\n|---|---|")
            for status, response in statuses.items():
                parts.append(f"| {status} | {cell(response.get('description', ''))} |")
            parts.append("")
    return "\n".join(parts)


def param_type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        kinds = [param_type(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " or ".join(kinds)
    if schema.get("type") == "array":
        return f"list of {param_type(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    return str(schema.get("type", ""))
