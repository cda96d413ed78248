"""The peer networks an aggregator federates from (``content/federation.yml``).

A peer is another MentorMeMed network that publishes ``directory.json``: this file says where
its export is, which major version of the export's format it is read as, where its site and
its request form are, and who reviews the snapshots taken of it (``federation/<id>.json``,
owned by them in ``.github/CODEOWNERS``). The file is optional: a network without it has no
peers. Validated like every content file (:mod:`generator.content.validation`); its schema,
``schemas/federation.schema.json``, is generated from :class:`Federation`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from generator.content.models import SCHEMA_BASE, GitHubOwner, HttpsUrl, Id, Name, _Model, _unique

FEDERATION_FILE = "federation.yml"
#: The major versions of ``directory.json`` this code can read (the schema of each is published).
READABLE_EXPORT_VERSIONS: tuple[int, ...] = (1,)


class Peer(_Model):
    """One peer network whose public directory is merged into this one."""

    id: Id = Field(
        description="Short id of the peer; its mentors' ids here start with it and `--` "
        "(`<peer>--<their id>`), and its snapshot is federation/<id>.json.",
        examples=["lakeshore-network"],
    )
    name: Name = Field(
        description="Name of the peer network, shown on every one of its mentors.",
        examples=["Lakeshore Mentoring Network"],
    )
    directory_url: HttpsUrl = Field(
        description="https:// address of the peer's directory.json.",
        examples=["https://lakeshore-network.example.org/directory/directory.json"],
    )
    export_version: int = Field(
        ge=1,
        le=99,
        description="Major version of directory.json the peer publishes; an export of another "
        "major version is refused until this is changed (and this aggregator can read it).",
        examples=[1],
    )
    site_url: HttpsUrl = Field(
        description="https:// address of the peer's directory site.",
        examples=["https://lakeshore-network.example.org/directory"],
    )
    request_form_url: HttpsUrl = Field(
        description="https:// address of the peer's mentor request form (a GitHub issue form); "
        "'Request this mentor' opens it with the mentor filled in, so the peer's bot and "
        "maintainers handle the request.",
        examples=["https://github.com/lakeshore-network/directory/issues/new?template=mentor-request.yml"],
    )
    reviewers: Annotated[list[GitHubOwner], AfterValidator(_unique)] = Field(
        min_length=1,
        max_length=20,
        description="Who reviews changes to this peer's snapshot (GitHub user names or "
        "organization/team): they own federation/<id>.json in CODEOWNERS.",
        examples=[["mmm-sample-federation-lead"]],
        json_schema_extra={"uniqueItems": True},
    )

    @field_validator("export_version")
    @classmethod
    def _readable(cls, version: int) -> int:
        if version not in READABLE_EXPORT_VERSIONS:
            raise PydanticCustomError(
                "unreadable-export-version",
                "this aggregator reads directory.json version {readable}, not {version}: keep "
                "export_version at a version it reads until mentormemed can read version {version}.",
                {"version": version, "readable": ", ".join(map(str, READABLE_EXPORT_VERSIONS))},
            )
        return version


class Federation(_Model):
    """The peer networks this directory federates from (``content/federation.yml``)."""

    model_config = ConfigDict(
        title="Federation",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE + "federation.schema.json",
        },
    )

    peers: list[Peer] = Field(
        max_length=100,
        description="The peer networks, each with a unique id and export address.",
    )

    @field_validator("peers")
    @classmethod
    def _unique_peers(cls, peers: list[Peer]) -> list[Peer]:
        for attribute in ("id", "directory_url"):
            seen: set[str] = set()
            for peer in peers:
                value = getattr(peer, attribute)
                if value in seen:
                    raise PydanticCustomError(
                        "duplicate-peer",
                        "two peers have the {attribute} '{value}': list each peer once.",
                        {"attribute": attribute, "value": value},
                    )
                seen.add(value)
        return peers

    def peer(self, peer_id: str) -> Peer | None:
        return next((p for p in self.peers if p.id == peer_id), None)


PEER_MODELS: dict[str, type[_Model]] = {"federation": Federation}
