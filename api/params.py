"""Unknown query parameters are mistakes: ``/events?roots=19`` or ``?sorce=USA`` must not
quietly return the unfiltered answer. Routers that take their parameters from FastAPI's
declarations get `known_parameters_only` as a dependency; a request naming anything
else gets 400 with the parameters the route takes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import HTTPException, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from kg.models import ACTOR_TYPES

__all__ = [
    "NOT_FOUND",
    "UNKNOWN_PARAMETER",
    "ActorType",
    "CameoRoot",
    "ErrorOut",
    "QuadClass",
    "known_parameters_only",
    "query_parameters",
]

#: Parameter types whose allowed values the OpenAPI schema states, so a client (or
#: schemathesis) knows them before it is refused.
ActorType = StrEnum("ActorType", [(name, name) for name in ACTOR_TYPES])
CameoRoot = Annotated[str, Field(pattern=r"^(0?[1-9]|1[0-9]|20)$")]
QuadClass = Annotated[int, Field(ge=1, le=4)]


class ErrorOut(BaseModel):
    """Every 4xx body: the error's name and what is wrong (a message or a list)."""

    error: str
    detail: Any


#: The response every strict route may give, for its OpenAPI entry.
UNKNOWN_PARAMETER: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Unknown or bad query parameter"}
}
#: The response of routes that name an actor or an event.
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such actor or event"}
}


async def known_parameters_only(request: Request) -> None:
    """Refuse a request whose query string names a parameter the route does not take."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = query_parameters(route)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        valid = ", ".join(sorted(allowed)) if allowed else "none"
        plural = "s" if len(unknown) > 1 else ""
        detail = f"unknown query parameter{plural} {names}; {route.path} takes: {valid}"
        raise HTTPException(400, detail)


def query_parameters(route: APIRoute) -> frozenset[str]:
    """The names of the query parameters ``route`` declares, through all its dependencies."""
    return frozenset(_names(route.dependant))  # a short walk: cheaper than keeping it


def _names(dependant: Dependant) -> set[str]:
    names: set[str] = set()
    stack, seen = [dependant], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for field in current.query_params:
            model = field.field_info.annotation
            if isinstance(model, type) and issubclass(model, BaseModel):
                names |= {f.alias or name for name, f in model.model_fields.items()}
            else:
                names.add(field.alias)
        stack.extend(current.dependencies)
    return names
