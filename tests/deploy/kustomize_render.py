"""A small kustomize renderer for the features deploy/k8s uses (kustomize is not installed).

Supported kustomization fields: ``resources`` (files, or directories holding a
kustomization.yaml), ``namespace``, ``images`` (name -> newName/newTag/digest),
``replicas`` and ``patches`` (``path`` or inline ``patch``; a YAML list is applied as
JSON6902 with add/replace/remove; a mapping is a strategic merge where lists of
mappings are merged by ``name``). Anything else raises, so a manifest can't silently
rely on a feature this renderer ignores.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

SUPPORTED = {
    "apiVersion",
    "kind",
    "resources",
    "namespace",
    "images",
    "replicas",
    "patches",
}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume"}


def render(directory: str | Path) -> list[dict]:
    """Return the resources a kustomization directory produces."""
    directory = Path(directory)
    kust = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(kust) - SUPPORTED
    if unknown:
        raise ValueError(
            f"{directory}: unsupported kustomization fields {sorted(unknown)}"
        )
    docs: list[dict] = []
    for entry in kust.get("resources", []):
        target = directory / entry
        if target.is_dir():
            docs.extend(render(target))
        else:
            docs.extend(d for d in yaml.safe_load_all(target.read_text()) if d)
    for patch in kust.get("patches", []):
        _apply_patch(directory, docs, patch)
    for rep in kust.get("replicas", []):
        matches = [
            d
            for d in docs
            if d["metadata"]["name"] == rep["name"] and "replicas" in d.get("spec", {})
        ]
        if not matches:
            raise ValueError(f"replicas: no resource named {rep['name']}")
        for d in matches:
            d["spec"]["replicas"] = rep["count"]
    for image in kust.get("images", []):
        for d in docs:
            _set_image(d, image)
    if "namespace" in kust:
        for d in docs:
            if d["kind"] not in CLUSTER_SCOPED:
                d["metadata"]["namespace"] = kust["namespace"]
    return docs


def _apply_patch(directory: Path, docs: list[dict], patch: dict) -> None:
    body = (
        yaml.safe_load((directory / patch["path"]).read_text())
        if "path" in patch
        else yaml.safe_load(patch["patch"])
    )
    target = patch.get("target")
    if isinstance(body, list):
        if not target:
            raise ValueError("a JSON6902 patch needs a target")
        hits = [d for d in docs if _matches(d, target)]
        if not hits:
            raise ValueError(f"patch target matches nothing: {target}")
        for d in hits:
            for op in body:
                _json6902(d, op)
        return
    target = target or {"kind": body["kind"], "name": body["metadata"]["name"]}
    hits = [d for d in docs if _matches(d, target)]
    if not hits:
        raise ValueError(f"patch target matches nothing: {target}")
    for d in hits:
        merged = strategic_merge(d, body)
        d.clear()
        d.update(merged)


def _matches(doc: dict, target: dict) -> bool:
    return all(
        (key == "kind" and doc.get("kind") == value)
        or (key == "name" and doc["metadata"]["name"] == value)
        for key, value in target.items()
        if key in {"kind", "name"}
    )


def strategic_merge(base, patch):
    """Merge ``patch`` into ``base``: mappings recursively, named lists by ``name``."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = copy.deepcopy(base)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            elif key in out:
                out[key] = strategic_merge(out[key], value)
            else:
                out[key] = copy.deepcopy(value)
        return out
    if (
        isinstance(base, list)
        and isinstance(patch, list)
        and all(isinstance(i, dict) and "name" in i for i in base + patch)
    ):
        out = copy.deepcopy(base)
        index = {item["name"]: i for i, item in enumerate(out)}
        for item in patch:
            if item["name"] in index:
                out[index[item["name"]]] = strategic_merge(
                    out[index[item["name"]]], item
                )
            else:
                out.append(copy.deepcopy(item))
        return out
    return copy.deepcopy(patch)


def _json6902(doc: dict, op: dict) -> None:
    parts = [
        p.replace("~1", "/").replace("~0", "~")
        for p in op["path"].lstrip("/").split("/")
    ]
    parent = doc
    for part in parts[:-1]:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    last = parts[-1]
    kind = op["op"]
    if isinstance(parent, list):
        idx = len(parent) if last == "-" else int(last)
        if kind == "add":
            parent.insert(idx, op["value"])
        elif kind == "replace":
            parent[idx] = op["value"]
        elif kind == "remove":
            del parent[idx]
        else:
            raise ValueError(f"unsupported op {kind}")
        return
    if kind in {"replace", "remove"} and last not in parent:
        raise ValueError(f"{op['path']}: no such field to {kind}")
    if kind in {"add", "replace"}:
        parent[last] = op["value"]
    elif kind == "remove":
        del parent[last]
    else:
        raise ValueError(f"unsupported op {kind}")


def _pod_specs(doc: dict) -> list[dict]:
    spec = doc.get("spec", {})
    if doc["kind"] == "CronJob":
        return [spec["jobTemplate"]["spec"]["template"]["spec"]]
    if "template" in spec:
        return [spec["template"]["spec"]]
    return []


def _set_image(doc: dict, image: dict) -> None:
    for pod in _pod_specs(doc):
        for container in pod.get("containers", []) + pod.get("initContainers", []):
            name, _, _tag = container["image"].partition(":")
            if name != image["name"]:
                continue
            new = image.get("newName", name)
            if "digest" in image:
                container["image"] = f"{new}@{image['digest']}"
            else:
                container["image"] = f"{new}:{image.get('newTag', _tag or 'latest')}"


if (
    __name__ == "__main__"
):  # pragma: no cover - manual use: python kustomize_render.py DIR
    import sys

    print(yaml.safe_dump_all(render(sys.argv[1]), sort_keys=False))
