# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module stubs and the doc fragment: documentation-only files whose DOCUMENTATION is the argument
spec, so it is checked like code. Fragments are resolved here from the class attributes of
plugins/doc_fragments/ipsec.py and ansible-core's action_common_attributes (merged the way
ansible-core merges them); one test asks the real ansible-doc for the same trees."""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.doc_fragments import action_common_attributes

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import (
    filter_action_from,
    filter_list_from,
    policy_from,
    store_from_config,
)

REPO = Path(__file__).resolve().parents[3]
MODULES_DIR = REPO / "plugins" / "modules"
FRAGMENT_FILE = REPO / "plugins" / "doc_fragments" / "ipsec.py"
COLLECTION = "lockdown.ipsec"

MODULES = tuple(sorted(path.stem for path in MODULES_DIR.glob("ipsec_*.py")))
CHANGING = ("ipsec_filter_list", "ipsec_filter_action", "ipsec_policy", "ipsec_assign", "ipsec_config", "ipsec_packet_filter")

# The options of each module, as docs/module-options.md and DESIGN.md ("Module surface") give them.
EXPECTED_OPTIONS = {
    "ipsec_filter_list": {"name", "description", "filters", "filters_mode", "state", "on_failure", "read_from"},
    "ipsec_filter_action": {"name", "description", "action", "inpass", "soft", "qmpfs", "qm_security_methods", "state", "on_failure", "read_from"},
    "ipsec_policy": {
        "name", "description", "rules", "default_response_rule", "polling_interval", "mmpfs", "qm_per_mm", "mm_lifetime",
        "mm_security_methods", "rules_mode", "state", "delete_unused", "on_failure", "read_from",
    },
    "ipsec_assign": {"name", "state", "on_failure", "read_from", "accept_domain_policy", "confirm"},
    "ipsec_info": {"read_from"},
    "ipsec_config": {
        "config", "src", "state", "owner_prefix", "running_config", "running_config_file", "running_config_format", "running_config_encoding", "on_failure",
        "read_from", "accept_domain_policy", "backup", "backup_options", "guard", "confirm",
    },
    "ipsec_packet_filter": {
        "policy_name", "owner_prefix", "server_services", "client_services", "service_sources", "custom_services", "interface_address",
        "permit_icmp", "default_deny", "assign", "management_port", "management_sources", "guard_ports", "allow_lockout", "backup",
        "backup_options", "on_failure", "read_from", "accept_domain_policy", "confirm",
    },
    "ipsec_backup": {"path", "controller_file", "fetch_to", "state", "assigned", "on_failure", "read_from", "accept_domain_policy"},
}

# Only these options have an argspec default (docs/module-options.md, "Unspecified means unmanaged":
# filter fields, the flags of a root CA entry, and the modes and states).
DEFAULT_ALLOWED = [
    re.compile(r"(^|\.)filters\[\]\.(source|destination|protocol|source_port|destination_port|mirrored|description)$"),
    re.compile(r"(^|\.)authentication\[\]\.(certmap|exclude_ca_name)$"),
    re.compile(r"^(filters_mode|rules_mode|state|delete_unused|on_failure|read_from|accept_domain_policy|running_config_format|running_config_encoding)$"),
    # The backup fragment, and the guard's packets (a packet's fields are all known, unlike a filter's).
    re.compile(r"^(backup|backup_options\.path)$"),
    re.compile(r"^guard\.(packets\[\]\.(destination|protocol|source_port|destination_port)|my_addresses)$"),
]

# ipsec_packet_filter builds its whole config itself: every option but the port it finds has a default, as the
# role's defaults give them.
PACKET_FILTER_DEFAULTS = {
    "policy_name": "Packet Filter", "owner_prefix": "LD - ", "server_services": [], "client_services": [], "service_sources": {},
    "custom_services": {}, "interface_address": "me", "permit_icmp": False, "default_deny": "all_inbound", "assign": True,
    "management_sources": ["any"], "guard_ports": [], "allow_lockout": False,
}

# Dictionaries keyed by the user's own names (a service), which no suboptions can describe.
FREE_FORM = {"ipsec_packet_filter": {"service_sources", "custom_services"}}

HEADER = [
    "#!/usr/bin/python",
    "# -*- coding: utf-8 -*-",
    "# Copyright: (c) 2026, lockdown.ipsec contributors",
    "# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)",
]

MARKUP = re.compile(r"\b(O|RV|M|V|C|I|B|U|L|E|P)\(")


def _fragment_class():
    spec = importlib.util.spec_from_file_location("_lockdown_ipsec_fragment", FRAGMENT_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ModuleDocFragment


FRAGMENT = _fragment_class()


def _fragment_text(name: str) -> str:
    for prefix, owner in ((f"{COLLECTION}.ipsec", FRAGMENT), ("ansible.builtin.action_common_attributes", action_common_attributes.ModuleDocFragment)):
        if name == prefix:
            return owner.DOCUMENTATION
        if name.startswith(prefix + "."):
            return getattr(owner, name[len(prefix) + 1:].upper())
    raise AssertionError(f"unknown doc fragment {name}")


def _merge(doc: dict, fragment: dict) -> None:
    """ansible-core's add_fragments: options and attributes merge per key, the module's own entry
    winning (a dict entry is shallow-merged); notes and seealso are appended."""
    for key in ("notes", "seealso"):
        if fragment.get(key):
            doc.setdefault(key, []).extend(fragment[key])
    for key in ("options", "attributes"):
        if key not in fragment:
            continue
        if doc.get(key) is None:
            doc[key] = {}
        target = doc[key]
        for name, value in (fragment[key] or {}).items():
            if name in target and isinstance(target[name], dict):
                merged = copy.deepcopy(value)
                merged.update(target[name])
                target[name] = merged
            elif name not in target:
                target[name] = copy.deepcopy(value)


def _stub(name: str) -> dict:
    """DOCUMENTATION, EXAMPLES and RETURN of a stub, read without importing it."""
    tree = ast.parse((MODULES_DIR / f"{name}.py").read_text(encoding="utf-8"))
    return {node.targets[0].id: node.value.value for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)}


def resolved(name: str) -> dict:
    doc = yaml.safe_load(_stub(name)["DOCUMENTATION"])
    for fragment in doc.pop("extends_documentation_fragment", []):
        _merge(doc, yaml.safe_load(_fragment_text(fragment)))
    return doc


DOCS = {name: resolved(name) for name in MODULES}


def walk_options(options: dict, path: str = ""):
    for name, doc in (options or {}).items():
        here = f"{path}{name}"
        yield here, doc
        if "suboptions" in doc:
            yield from walk_options(doc["suboptions"], here + ("[]." if doc.get("type") == "list" else "."))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _markup(text: str):
    """(kind, argument) for every markup directive in ``text``; parentheses may nest (C(f(x)))."""
    for match in MARKUP.finditer(text):
        depth, start = 1, match.end()
        for index in range(start, len(text)):
            depth += {"(": 1, ")": -1}.get(text[index], 0)
            if depth == 0:
                yield match.group(1), text[start:index]
                break
        else:
            raise AssertionError(f"unclosed {match.group(1)}( in {text!r}")


def _resolve(tree: dict, path: str, child_key: str) -> None:
    node = {"suboptions": tree} if child_key == "suboptions" else {"contains": tree}
    for part in path.split("."):
        is_list = part.endswith("[]")
        name = part[:-2] if is_list else part
        children = node.get(child_key) or {}
        assert name in children, f"{path}: no {name!r}"
        node = children[name]
        if is_list:
            assert node.get("type") == "list", f"{path}: {name} is not a list"


# --- the stub files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MODULES)
def test_stub_is_documentation_only(name):
    path = MODULES_DIR / f"{name}.py"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[:4] == HEADER
    body = ast.parse(text).body
    assert isinstance(body[0], ast.ImportFrom) and body[0].module == "__future__"
    assert sorted(alias.name for alias in body[0].names) == ["absolute_import", "division", "print_function"]
    assigned = [node.targets[0].id for node in body[1:] if isinstance(node, ast.Assign)]
    assert assigned == ["__metaclass__", "DOCUMENTATION", "EXAMPLES", "RETURN"]
    assert len(body) == 5, "nothing but the docs"
    assert not os.stat(path).st_mode & 0o111, "a documentation stub is not executable"


@pytest.mark.parametrize("name", MODULES)
def test_documentation_parses_and_names_the_module(name):
    raw = yaml.safe_load(_stub(name)["DOCUMENTATION"])
    assert raw["module"] == name
    assert raw["short_description"] and raw["description"]
    assert raw["author"] == ["lockdown.ipsec contributors (!UNKNOWN)"]
    assert "version_added" not in raw
    assert f"{COLLECTION}.ipsec" in raw["extends_documentation_fragment"]
    seealso = {entry["module"] for entry in raw["seealso"] if "module" in entry}
    ours = {module for module in seealso if module.startswith(f"{COLLECTION}.")}
    assert ours and ours <= {f"{COLLECTION}.{other}" for other in MODULES if other != name}
    assert seealso - ours <= {"ansible.builtin.fetch"}
    text = " ".join(_strings(raw["description"]))
    assert "docs/assumptions.md" in text and "become" in text.lower()


@pytest.mark.parametrize("name", MODULES)
def test_module_options_are_the_documented_shapes(name):
    assert set(DOCS[name].get("options") or {}) == EXPECTED_OPTIONS[name]


@pytest.mark.parametrize("name", MODULES)
def test_every_option_is_fully_described(name):
    for path, doc in walk_options(DOCS[name].get("options")):
        assert doc.get("description"), path
        assert all(isinstance(line, str) for line in ([doc["description"]] if isinstance(doc["description"], str) else doc["description"])), path
        assert doc.get("type") in ("str", "bool", "int", "list", "dict", "raw", "path"), path
        if doc["type"] == "list":
            assert doc.get("elements") in ("str", "int", "dict"), path
        if path in FREE_FORM.get(name, ()):
            assert doc["type"] == "dict" and "suboptions" not in doc, path
        elif doc["type"] == "dict" or doc.get("elements") == "dict":
            assert doc.get("suboptions"), path
        else:
            assert "suboptions" not in doc, path
        if "choices" in doc:
            assert isinstance(doc["choices"], list), path
            if "default" in doc:
                assert doc["default"] in doc["choices"], path
        if "default" in doc and name == "ipsec_packet_filter" and path in PACKET_FILTER_DEFAULTS:
            assert doc["default"] == PACKET_FILTER_DEFAULTS[path], path
        elif "default" in doc:
            assert any(pattern.search(path) for pattern in DEFAULT_ALLOWED), f"{path} has a default docs/module-options.md does not give"
            assert not doc.get("required"), path
        assert "no_log" not in doc, f"{path}: validate-modules refuses no_log in documentation (the argspec derivation names secrets)"


def test_pre_shared_keys_are_documented_as_secrets_wherever_they_appear():
    paths = [path for name in MODULES for path, dummy in walk_options(DOCS[name].get("options")) if path.endswith("pre_shared_key")]
    assert len(paths) == 2 + 2  # ipsec_policy: rules and default response rule; ipsec_config: the same under config
    for name in ("ipsec_policy", "ipsec_config"):
        for path, doc in walk_options(DOCS[name].get("options")):
            if path.endswith("pre_shared_key"):
                assert "secret" in " ".join(doc["description"]) and "********" in " ".join(doc["description"])


@pytest.mark.parametrize("name", MODULES)
def test_attributes(name):
    attributes = DOCS[name]["attributes"]
    for key, doc in attributes.items():
        assert doc.get("description"), key
        assert doc.get("support") in ("full", "partial", "none", "N/A"), key
    assert attributes["check_mode"]["support"] == "full"
    assert attributes["diff_mode"]["support"] == ("N/A" if name == "ipsec_info" else "full")
    assert attributes["platform"]["platforms"] == "windows"
    assert attributes["action"]["support"] == "full"
    assert attributes["async"]["support"] == "none"
    assert attributes["become"]["support"] == "none"


@pytest.mark.parametrize("name", MODULES)
def test_markup_references_exist(name):
    stub = _stub(name)
    returns = yaml.safe_load(stub["RETURN"])
    texts = list(_strings(DOCS[name])) + list(_strings({key: {k: v for k, v in doc.items() if k != "sample"} for key, doc in returns.items()}))
    seen = set()
    for text in texts:
        for kind, argument in _markup(text):
            seen.add(kind)
            if kind in ("O", "RV"):
                target, path = name, argument.split("=", 1)[0]
                if "#" in argument:
                    plugin, dummy, path = argument.partition("#")
                    assert plugin.startswith(f"{COLLECTION}.") and path.startswith("module:"), argument
                    target, path = plugin[len(COLLECTION) + 1:], path[len("module:"):].split("=", 1)[0]
                if kind == "O":
                    _resolve(DOCS[target].get("options") or {}, path, "suboptions")
                else:
                    _resolve(yaml.safe_load(_stub(target)["RETURN"]), path, "contains")
            elif kind == "M":
                assert argument in {f"{COLLECTION}.{module}" for module in MODULES} | {"ansible.builtin.fetch"}, argument
    assert "O" in seen or name == "ipsec_info"


def test_nested_copies_of_the_shapes_stay_identical():
    """CONFIG repeats the three shapes (sanity's yamllint reads fragments as literals); only O() paths differ."""

    def normalised(value, *prefixes):
        text = json.dumps(value, sort_keys=True)
        for prefix in prefixes:
            text = text.replace(f"O({prefix}", "O(")
        return json.loads(text)

    config = yaml.safe_load(FRAGMENT.CONFIG)["options"]["config"]["suboptions"]
    for key, fragment in (("filter_lists", FRAGMENT.FILTER_LIST), ("filter_actions", FRAGMENT.FILTER_ACTION), ("policies", FRAGMENT.POLICY)):
        nested = normalised(config[key]["suboptions"], f"config.{key}[].")
        assert nested == yaml.safe_load(fragment)["options"], key
    policy = yaml.safe_load(FRAGMENT.POLICY)["options"]
    in_rules = normalised(policy["rules"]["suboptions"]["authentication"], "rules[].")
    in_default = normalised(policy["default_response_rule"]["suboptions"]["authentication"], "default_response_rule.")
    assert in_rules == in_default


# --- RETURN ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MODULES)
def test_return_values(name):
    returns = yaml.safe_load(_stub(name)["RETURN"])
    expected = {"config", "predicted", "domain_policy"} if name == "ipsec_info" else {
        "commands", "before", "after", "failed_command", "succeeded_commands", "not_run_commands", "undo_commands",
    }
    if name in ("ipsec_assign", "ipsec_config", "ipsec_packet_filter"):
        expected |= {"rollback"}
    if name == "ipsec_config":
        expected |= {"gathered", "rendered", "parsed", "unsupported", "predicted", "backup_path", "backup_fetched_to", "guard"}
    if name == "ipsec_packet_filter":
        expected |= {"policy", "config", "management_port", "guard", "summary", "backup_path", "backup_fetched_to"}
    if name == "ipsec_backup":
        expected |= {"assigned", "config", "controller_file", "fetched_to"}
    assert set(returns) == expected
    for key, doc in returns.items():
        for field in ("description", "returned", "type", "sample"):
            assert field in doc, f"{key} lacks {field}"
        if doc["type"] == "list":
            assert doc.get("elements"), key
        for sub, subdoc in (doc.get("contains") or {}).items():
            assert subdoc.get("description") and subdoc.get("type"), f"{key}.{sub}"
    for key in ("before", "after", "gathered", "parsed", "config"):
        if key in returns:
            assert set(returns[key]["contains"]) == {"filter_lists", "filter_actions", "policies", "assigned"}
            assert set(returns[key]["sample"]) == {"filter_lists", "filter_actions", "policies", "assigned"}
    for key in ("commands", "rendered", "succeeded_commands"):
        if key in returns:
            assert all(line.startswith("netsh ipsec static ") for line in returns[key]["sample"]), key


# --- EXAMPLES ----------------------------------------------------------------------------------------


def _spec(options: dict) -> dict:
    spec = {}
    for option, doc in (options or {}).items():
        entry = {key: doc[key] for key in ("type", "elements", "choices", "default", "required") if key in doc}
        if "suboptions" in doc:
            entry["options"] = _spec(doc["suboptions"])
        spec[option] = entry
    return spec


def _example_tasks():
    for name in MODULES:
        for index, task in enumerate(yaml.safe_load(_stub(name)["EXAMPLES"])):
            keys = [key for key in task if key.startswith(f"{COLLECTION}.")]
            if keys:
                yield pytest.param(name, keys[0][len(COLLECTION) + 1:], task[keys[0]] or {}, id=f"{name}-{index}")


def _walk_args(args: dict, options: dict, path: str) -> None:
    for key, value in args.items():
        assert key in options, f"{path}{key} is not a documented option"
        doc = options[key]
        if "suboptions" in doc and value is not None:
            entries = value if doc["type"] == "list" else [value]
            for index, entry in enumerate(entries):
                _walk_args(entry, doc["suboptions"], f"{path}{key}[{index}]." if doc["type"] == "list" else f"{path}{key}.")
        if "choices" in doc and isinstance(value, str) and "{{" not in value:
            assert value in doc["choices"], f"{path}{key}"
    for key, doc in options.items():
        if doc.get("required"):
            assert key in args, f"{path}{key} is required"


def test_every_module_has_examples():
    assert {task.values[1] for task in _example_tasks()} >= set(MODULES)
    for name in MODULES:
        assert isinstance(yaml.safe_load(_stub(name)["EXAMPLES"]), list)


@pytest.mark.parametrize(("name", "module", "args"), list(_example_tasks()))
def test_examples_use_only_documented_options(name, module, args):
    options = DOCS[module].get("options") or {}
    _walk_args(args, options, "")
    result = ArgumentSpecValidator(_spec(options)).validate(copy.deepcopy(args))
    assert not result.error_messages, result.error_messages
    params = result.validated_parameters
    # And they are valid input for the engine: nothing in them is refused.
    if module == "ipsec_filter_list":
        filter_list_from(params, fill_defaults=True)
    elif module == "ipsec_filter_action" and params["state"] == "present":
        filter_action_from(params, fill_defaults=True)
    elif module == "ipsec_policy" and params["state"] == "present":
        policy_from(params, fill_defaults=True)
    elif module == "ipsec_config" and params.get("config") is not None:
        store_from_config(params["config"], fill_defaults=True)


def test_seed_examples_are_there():
    everything = "\n".join(_stub(name)["EXAMPLES"] for name in MODULES)
    for phrase in ("Inbound web protocols", "All inbound traffic", "Packet Filter", "[110, 995, 143, 993, 25]", "APS - HTTP Server", "APS - DNS Client",
                   "APS - Permit", "APS - Deny", "AnalogX Public Server", 'owner_prefix: "APS - "', "delete_unused: true"):
        assert phrase in everything, phrase


# --- what ansible-core itself makes of it -------------------------------------------------------------


def _shape(options: dict) -> dict:
    return {
        name: (
            doc.get("type"), doc.get("elements"), doc.get("default"), tuple(doc.get("choices") or ()), bool(doc.get("required")),
            _shape(doc.get("suboptions") or {}),
        )
        for name, doc in (options or {}).items()
    }


def test_ansible_doc_resolves_the_same_option_trees(tmp_path):
    ansible_doc = Path(sys.executable).parent / "ansible-doc"
    assert ansible_doc.exists(), "the test environment must have ansible-doc next to its Python"
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(REPO / ".cache" / "collections"), ANSIBLE_HOME=str(tmp_path), ANSIBLE_NOCOLOR="1")
    names = [f"{COLLECTION}.{name}" for name in MODULES]
    completed = subprocess.run([str(ansible_doc), "-t", "module", "--json", *names], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    answer = json.loads(completed.stdout)
    for name in MODULES:
        doc = answer[f"{COLLECTION}.{name}"]["doc"]
        assert _shape(doc.get("options")) == _shape(DOCS[name].get("options")), name
        assert {key: value.get("support") for key, value in doc["attributes"].items()} == {
            key: value.get("support") for key, value in DOCS[name]["attributes"].items()
        }, name


def _spec_shape(spec: dict) -> dict:
    """The comparable part of an argument spec, keyed like :func:`_shape` reads documentation (the
    collection's ``int`` type, ``whole_number``, read as the ``int`` it documents)."""
    def documented(kind):
        return "int" if kind == "whole_number" else kind

    return {
        name: (
            documented(entry.get("type")), documented(entry.get("elements")), entry.get("default"), tuple(entry.get("choices") or ()),
            bool(entry.get("required")),
            _spec_shape(entry.get("options") or {}),
        )
        for name, entry in spec.items()
    }


def _derived_specs() -> dict:
    """Every module's argument spec as the action plugins derive it, computed in a fresh process with
    ansible-core's collection finder installed (as in a real task), so this process stays clean."""
    script = (
        "import json, sys\n"
        "from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder\n"
        "_AnsibleCollectionFinder(paths=[sys.argv[1]])._install()\n"
        "from ansible_collections.lockdown.ipsec.plugins.plugin_utils._argspec import module_argument_spec\n"
        "print(json.dumps({name: module_argument_spec(name) for name in sys.argv[2:]}, default=lambda f: f.__name__))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, str(REPO / ".cache" / "collections"), *MODULES], capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_the_argument_spec_is_exactly_the_documented_options():
    """The action plugins validate with a spec derived from DOCUMENTATION: every documented option
    (at every depth, with its type, default and choices) is in it, and nothing else; an undocumented
    option is refused."""
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    specs = _derived_specs()
    for name in MODULES:
        spec = specs[name]
        assert _spec_shape(spec) == _shape(DOCS[name].get("options")), name
        result = ArgumentSpecValidator(spec).validate({"not_a_documented_option": 1})
        assert any("not_a_documented_option" in error.msg for error in result.errors.errors), name
