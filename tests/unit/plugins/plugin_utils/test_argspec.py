# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The argument spec derived from a module's DOCUMENTATION, with doc fragments merged in."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest
from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.lockdown.ipsec.plugins.plugin_utils import _argspec
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._numbers import whole_number

REPO_ROOT = Path(__file__).resolve().parents[4]

SAMPLE_DOC = """
module: sample
short_description: A sample module
description:
  - Exercises every key the spec keeps and some it drops.
version_added: 1.0.0
author: lockdown.ipsec contributors
extends_documentation_fragment:
  - acme.demo.common
  - acme.demo.common.filter
options:
  name:
    description: The name.
    type: str
    required: true
    aliases: [policy_name]
  state:
    description: The module's own definition wins over the fragment's.
    type: str
    choices: [present, absent]
    default: present
  rules_mode:
    description: Choices documented as a mapping.
    type: str
    choices:
      exact: Only these rules.
      merge: These rules and any others.
    default: exact
    version_added: 1.1.0
  rules:
    description: A list of dicts with nested lists of dicts.
    type: list
    elements: dict
    suboptions:
      name:
        description: Rule name.
        type: str
        required: true
      authentication:
        description: Methods in preference order.
        type: list
        elements: dict
        suboptions:
          kerberos:
            description: Use Kerberos.
            type: bool
          pre_shared_key:
            description: A secret, made no_log by name.
            type: str
      ports:
        description: A list of ints with a default.
        type: list
        elements: int
        default: []
  token:
    description: no_log written in the documentation is kept too.
    type: str
    no_log: true
  settings:
    description: A dict with suboptions.
    type: dict
    suboptions:
      interval:
        description: Minutes.
        type: int
        default: 180
      mirrored:
        description: Untyped options stay untyped (the validator reads them as str).
"""

COMMON_FRAGMENT = """
options:
  state:
    description: Overridden by the module.
    type: str
    choices: [on, off]
  timeout:
    description: From the fragment.
    type: int
    default: 30
    version_added: 1.0.0
notes:
  - A note from the fragment.
"""

FILTER_FRAGMENT = """
options:
  source:
    description: From the fragment's FILTER variable.
    type: str
    default: any
"""

EXPECTED = {
    "name": {"type": "str", "required": True, "aliases": ["policy_name"]},
    "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
    "rules_mode": {"type": "str", "choices": ["exact", "merge"], "default": "exact"},
    "rules": {
        "type": "list",
        "elements": "dict",
        "options": {
            "name": {"type": "str", "required": True},
            "authentication": {
                "type": "list",
                "elements": "dict",
                "options": {
                    "kerberos": {"type": "bool"},
                    "pre_shared_key": {"type": "str", "no_log": True},
                },
            },
            "ports": {"type": "list", "elements": whole_number, "default": []},
        },
    },
    "token": {"type": "str", "no_log": True},
    "settings": {
        "type": "dict",
        "options": {"interval": {"type": whole_number, "default": 180}, "mirrored": {}},
    },
    "timeout": {"type": whole_number, "default": 30},
    "source": {"type": "str", "default": "any"},
}


class FakeFragmentLoader:
    """The part of ansible-core's fragment loader that add_fragments uses: get(name) or None."""

    def __init__(self, **fragments: types.SimpleNamespace) -> None:
        self.fragments = fragments
        self.asked: list[str] = []

    def get(self, name: str) -> types.SimpleNamespace | None:
        self.asked.append(name)
        return self.fragments.get(name)


def demo_loader() -> FakeFragmentLoader:
    common = types.SimpleNamespace(
        DOCUMENTATION=COMMON_FRAGMENT, FILTER=FILTER_FRAGMENT, ansible_name="acme.demo.common"
    )
    return FakeFragmentLoader(**{"acme.demo.common": common})


def test_sample_documentation_gives_the_exact_spec() -> None:
    spec = _argspec.argument_spec_from_doc(SAMPLE_DOC, fragment_loader=demo_loader(), no_log_names={"pre_shared_key"})
    assert spec == EXPECTED


def test_spec_values_are_plain_python_types() -> None:
    spec = _argspec.argument_spec_from_doc(SAMPLE_DOC, fragment_loader=demo_loader())

    def kinds(value: object) -> set[type]:
        if isinstance(value, dict):
            return {type(value)} | {kind for key, item in value.items() for kind in kinds(key) | kinds(item)}
        if isinstance(value, list):
            return {type(value)} | {kind for item in value for kind in kinds(item)}
        return {type(value)}

    # Fragment values come back from add_fragments as AnsibleUnicode (2.16) or tagged (2.19+).
    assert kinds(spec) <= {dict, list, str, int, bool, type(whole_number)}
    assert kinds(spec["timeout"]["default"]) == {int} and kinds(spec["source"]["default"]) == {str}


def test_no_log_names_apply_at_every_depth_only_when_asked() -> None:
    without = _argspec.argument_spec_from_doc(SAMPLE_DOC, fragment_loader=demo_loader())
    assert "no_log" not in without["rules"]["options"]["authentication"]["options"]["pre_shared_key"]
    with_names = _argspec.argument_spec_from_doc(SAMPLE_DOC, fragment_loader=demo_loader(), no_log_names=["name"])
    assert with_names["name"]["no_log"] is True
    assert with_names["rules"]["options"]["name"]["no_log"] is True


def test_the_spec_is_one_ansible_core_accepts() -> None:
    spec = _argspec.argument_spec_from_doc(SAMPLE_DOC, fragment_loader=demo_loader(), no_log_names={"pre_shared_key"})
    params = {
        "policy_name": "p",
        "rules": [{"name": "r", "authentication": [{"pre_shared_key": "s3cret"}], "ports": ["80"]}],
        "settings": {},
    }
    result = ArgumentSpecValidator(spec).validate(params)
    assert result.error_messages == []
    assert result.validated_parameters["rules"][0]["ports"] == [80]
    assert result.validated_parameters["settings"] == {"interval": 180, "mirrored": None}
    assert result.validated_parameters["state"] == "present"
    assert "s3cret" in result._no_log_values


def test_a_comma_separated_fragment_string_is_split_on_every_core_version() -> None:
    doc = "options:\n  own: {description: x, type: bool}\nextends_documentation_fragment: acme.demo.common, acme.demo.common.filter\n"
    spec = _argspec.argument_spec_from_doc(doc, fragment_loader=demo_loader())
    assert set(spec) == {"own", "state", "timeout", "source"}


def test_documentation_without_fragments_never_asks_the_loader() -> None:
    loader = FakeFragmentLoader()
    spec = _argspec.argument_spec_from_doc("options:\n  x: {description: y, type: path}\n", fragment_loader=loader)
    assert spec == {"x": {"type": "path"}}
    assert loader.asked == []
    assert _argspec.argument_spec_from_doc("module: nothing\n", fragment_loader=loader) == {}


def test_an_unknown_fragment_is_an_ansible_error_naming_it() -> None:
    doc = "options: {}\nextends_documentation_fragment: [acme.demo.missing]\n"
    with pytest.raises(AnsibleError, match="acme.demo.missing"):
        _argspec.argument_spec_from_doc(doc, fragment_loader=demo_loader(), source="sample.py")


@pytest.mark.parametrize(
    ("documentation", "message"),
    [
        ("- a list\n", "sample: the documentation is not a YAML mapping"),
        ("options: [a, b]\n", "sample: options must be a mapping of option names, got list"),
        ("options:\n  a: just text\n", "sample: option a must be a mapping, got str"),
        ("options:\n  a: {type: dict, suboptions: {b: 1}}\n", "sample: option a.b must be a mapping, got int"),
        ("options:\n  a: {type: dict, suboptions: [x]}\n", "sample: the suboptions of a must be a mapping of option names"),
    ],
)
def test_malformed_documentation_is_a_value_error(documentation: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _argspec.argument_spec_from_doc(documentation, fragment_loader=FakeFragmentLoader(), source="sample")


def test_module_argument_spec_reads_the_stub_once_and_returns_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "_argspec_test_stub"
    stub = types.ModuleType(f"{_argspec._MODULES_PACKAGE}.{name}")
    stub.DOCUMENTATION = "options:\n  pre_shared_key: {description: k, type: str}\n  n: {description: n, type: int}\n"
    monkeypatch.setitem(sys.modules, stub.__name__, stub)
    first = _argspec.module_argument_spec(name)
    assert first == {"pre_shared_key": {"type": "str", "no_log": True}, "n": {"type": whole_number}}
    first["n"]["type"] = "str"
    stub.DOCUMENTATION = "options: {}\n"  # not read again: the spec is cached per module name
    assert _argspec.module_argument_spec(name) == {"pre_shared_key": {"type": "str", "no_log": True}, "n": {"type": whole_number}}


def test_the_default_loader_finds_collection_fragments(tmp_path: Path) -> None:
    """End to end with ansible-core's own fragment_loader and collection finder, in a fresh process.

    A fresh interpreter keeps the installed collection finder away from the other tests.
    """
    fragment_dir = tmp_path / "ansible_collections" / "acme" / "demo" / "plugins" / "doc_fragments"
    fragment_dir.mkdir(parents=True)
    (fragment_dir / "common.py").write_text(
        "class ModuleDocFragment(object):\n"
        f"    DOCUMENTATION = r'''{COMMON_FRAGMENT}'''\n"
        f"    FILTER = r'''{FILTER_FRAGMENT}'''\n",
        encoding="utf-8",
    )
    script = textwrap.dedent(
        """
        import json, sys
        from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
        _AnsibleCollectionFinder(paths=sys.argv[1:3])._install()
        from ansible_collections.lockdown.ipsec.plugins.plugin_utils._argspec import argument_spec_from_doc
        print(json.dumps(argument_spec_from_doc(sys.stdin.read(), no_log_names={"pre_shared_key"}), default=lambda f: f.__name__))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), str(REPO_ROOT / ".cache" / "collections")],
        input=SAMPLE_DOC,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == json.loads(json.dumps(EXPECTED, default=lambda f: f.__name__))


def test_every_module_stub_gives_a_spec_with_its_secrets_hidden() -> None:
    """Each plugins/modules/<name>.py documentation, fragments included, through module_argument_spec.

    Run in a fresh process with ansible-core's collection finder installed, as in a real task.
    """
    names = sorted(path.stem for path in (REPO_ROOT / "plugins" / "modules").glob("*.py") if path.stem != "__init__")
    script = textwrap.dedent(
        """
        import json, sys
        from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
        _AnsibleCollectionFinder(paths=[sys.argv[1]])._install()
        from ansible_collections.lockdown.ipsec.plugins.plugin_utils._argspec import module_argument_spec
        print(json.dumps({name: module_argument_spec(name) for name in sys.argv[2:]}, default=lambda f: f.__name__))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, str(REPO_ROOT / ".cache" / "collections"), *names],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    specs = json.loads(completed.stdout)

    def options(spec: dict, path: str = ""):
        for name, option in spec.items():
            yield f"{path}{name}", name, option
            yield from options(option.get("options", {}), f"{path}{name}.")

    for module, spec in specs.items():
        messages = ArgumentSpecValidator(spec).validate({}).error_messages
        assert not [message for message in messages if "missing required arguments" not in message], module
        for dotted, name, option in options(spec):
            assert set(option) <= {*_argspec._SPEC_KEYS, "options"}, f"{module}: {dotted}"
            if name in _argspec.SECRET_OPTION_NAMES:
                assert option.get("no_log") is True, f"{module}: {dotted}"
