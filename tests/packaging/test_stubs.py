"""The models' fields are declared once, in the Rust core; these tests check that what follows
from it agrees: the classes' ``__model_fields__``, the dataclass metadata, ``__match_args__``, the
hand-written stubs, and the clients' signatures with what the clients really do."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import os
from pathlib import Path

import pytest

import pinecone_backups as pb

STUB = Path(pb.__file__).with_name("_native.pyi")
MODELS = [pb.Backup, pb.RestoreJob, pb.CreateIndexFromBackupResponse, pb.Pagination]
PAGES = [pb.BackupList, pb.RestoreJobList]


def stub_properties(class_name: str) -> dict[str, str]:
    """The stub's properties of a class, in order, with their return annotations."""
    tree = ast.parse(STUB.read_text())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return {
                item.name: ast.unparse(item.returns)
                for item in node.body
                if isinstance(item, ast.FunctionDef)
                and item.returns is not None
                and any(ast.unparse(d) == "property" for d in item.decorator_list)
            }
    raise AssertionError(f"{class_name} is not in the stub")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_stub_declares_every_field_with_its_type(model: type) -> None:
    properties = stub_properties(model.__name__)
    fields = model.__model_fields__  # type: ignore[attr-defined]
    names = [name for name, *_ in fields]
    assert list(properties)[: len(names)] == names
    for name, annotation, required, absent in fields:
        stub = properties[name]
        assert stub.startswith(annotation), (name, stub, annotation)
        if not required and absent == "none":
            assert stub.endswith("| None"), (name, stub)


@pytest.mark.parametrize("model", MODELS + PAGES, ids=lambda m: m.__name__)
def test_match_args_and_dataclass_fields_follow_the_declaration(model: type) -> None:
    names = tuple(name for name, *_ in model.__model_fields__)  # type: ignore[attr-defined]
    assert model.__match_args__ == names  # type: ignore[attr-defined]
    assert tuple(f.name for f in dataclasses.fields(model)) == names
    stub_match_args = next(
        node
        for node in ast.walk(ast.parse(STUB.read_text()))
        if isinstance(node, ast.ClassDef) and node.name == model.__name__
    )
    literal = next(
        ast.literal_eval(item.value)
        for item in stub_match_args.body
        if isinstance(item, ast.Assign)
        and isinstance(item.targets[0], ast.Name)
        and item.targets[0].id == "__match_args__"
    )
    assert literal == names


def test_a_restore_job_is_dataclass_like() -> None:
    job = pb.RestoreJob.from_dict(
        {
            "restore_job_id": "r1",
            "backup_id": "b1",
            "target_index_name": "t",
            "target_index_id": "ti",
            "status": "Pending",
            "created_at": "2025-02-04T13:00:00Z",
            "percent_complete": None,
            "future": [1, 2],
        }
    )
    assert job.percent_complete is None and job.completed_at is None
    assert job.created_at is not None and job.created_at.tzinfo is not None
    assert dataclasses.asdict(job)["status"] == "Pending"
    assert job.to_dict()["future"] == [1, 2]
    assert dataclasses.replace(job, status="Completed").status == "Completed"
    assert pb.RestoreJob.from_json(job.to_json()) == job
    match job:
        case pb.RestoreJob(restore_job_id, backup_id):
            assert (restore_job_id, backup_id) == ("r1", "b1")


@pytest.mark.parametrize("cls", [pb.Client, pb.AsyncClient], ids=lambda c: c.__name__)
def test_client_signature_defaults_are_what_the_client_does(cls: type) -> None:
    signature = inspect.signature(cls)
    assert signature == inspect.signature(pb.Client)
    defaults = {name: p.default for name, p in signature.parameters.items()}
    client = cls(api_key="pcsk_0123456789abcdef")
    # None: PINECONE_API_VERSION, else API_VERSION (the tests run without the variable).
    assert defaults["api_version"] is None and "PINECONE_API_VERSION" not in os.environ
    assert client.api_version == pb.API_VERSION
    assert client.host == "https://api.pinecone.io"
    retry = inspect.signature(pb.Retry).parameters
    assert pb.Retry().max_retries == defaults["max_retries"] == retry["max_retries"].default
    assert pb.Retry().backoff_base == retry["backoff_base"].default
    assert pb.Retry().backoff_cap == retry["backoff_cap"].default
    assert pb.Retry().retry_after_cap == retry["retry_after_cap"].default


def test_module_functions_have_the_methods_signatures() -> None:
    for name in ("describe_backup", "create_backup", "iter_restore_jobs", "wait_for_backup"):
        method = inspect.signature(getattr(pb.Client, name))
        function = inspect.signature(getattr(pb, name))
        assert list(function.parameters) == list(method.parameters)[1:], name
