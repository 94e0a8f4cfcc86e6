# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. A module's DOCUMENTATION is the single source of its argument spec.

The modules are action plugins with documentation-only stubs under ``plugins/modules/``
(``reference/peers.md`` §3.3). validate-modules does not compare a stub's documentation with any
argument spec, so the action plugins derive the spec from the documentation instead of keeping a
second copy: :func:`argument_spec_from_doc` turns the ``options`` of a DOCUMENTATION string, with its
doc fragments merged in, into the spec ``ArgumentSpecValidator`` takes.
"""

from __future__ import annotations

import copy
import functools
import importlib
import os
from collections.abc import Iterable, Mapping

import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.loader import fragment_loader as _FRAGMENT_LOADER
from ansible.utils.plugin_docs import add_fragments

from ._errors import InvalidInput
from ._numbers import whole_number

# Option keys that mean the same in module documentation and in an argument spec. Everything else
# (description, version_added, notes, the version_added_collection add_fragments inserts, ...)
# is documentation only and is dropped; ``suboptions`` becomes ``options``.
_SPEC_KEYS = ("type", "required", "default", "choices", "elements", "aliases", "no_log")

# validate-modules rejects ``no_log`` in a module's option documentation (its option schema is
# PREVENT_EXTRA and lists no such key, ansible-core 2.16-2.21; the ``secret`` key it accepts is for
# non-module plugins and honoured only from ansible-core 2.22). So secrets are named here instead:
# an option with one of these names is ``no_log`` wherever it appears in a module's options tree.
SECRET_OPTION_NAMES = frozenset({"pre_shared_key"})

_MODULES_PACKAGE = "ansible_collections.lockdown.ipsec.plugins.modules"


def argument_spec_from_doc(
    documentation: str,
    *,
    fragment_loader=None,
    no_log_names: Iterable[str] = (),
    source: str = "DOCUMENTATION",
) -> dict:
    """Return the argument spec that the ``options`` of ``documentation`` describe.

    ``documentation`` is a module's DOCUMENTATION YAML. Its ``extends_documentation_fragment``
    (a list, or a comma-separated string) is merged first with ansible-core's own ``add_fragments``,
    loading fragments through ``fragment_loader`` (default: ansible-core's plugin loader, which finds
    ``lockdown.ipsec.<name>`` once Ansible's collection loader is installed). Each option keeps
    ``type`` and ``elements`` (``int`` becomes :func:`~._numbers.whole_number`), ``required``, ``default``, ``choices``
    (a documented ``{choice: description}`` mapping becomes the list of its keys), ``elements``, ``aliases`` and ``no_log`` as written; its
    ``suboptions`` become ``options``, recursively; an option named in ``no_log_names`` gets
    ``no_log: True`` at any depth. All values come back as plain Python types (no YAML or
    data-tagging subclasses). ``source`` is the file the documentation comes from; it names it in
    error messages (a relative name is made absolute: ansible-core 2.19+ tags fragment values with
    their origin, which must be an absolute path).

    Raises:
        ValueError: the documentation is not a YAML mapping, or its options are not mappings.
        ansible.errors.AnsibleError: a fragment is unknown or does not merge (from ``add_fragments``).
    """
    doc = yaml.safe_load(documentation)
    if not isinstance(doc, dict):
        raise ValueError(f"{source}: the documentation is not a YAML mapping")
    fragments = doc.get("extends_documentation_fragment")
    if isinstance(fragments, str):
        # 2.19+ split a string on commas themselves; 2.16 takes it as a single fragment name.
        doc["extends_documentation_fragment"] = [name.strip() for name in fragments.split(",")]
    if fragments:
        # add_fragments(doc, filename, fragment_loader, is_module=False) has this signature in
        # 2.16-2.20; 2.21 adds a trailing section="DOCUMENTATION" keyword (RETURN fragments).
        # 2.16 loads fragments with AnsibleLoader (AnsibleUnicode values), 2.19+ with data tagging
        # (values tagged TrustedAsTemplate and Origin); _plain() strips both.
        # Both merge a fragment's options into doc["options"] one option at a time, the module's
        # own definition of an option winning over a fragment's.
        add_fragments(doc, os.path.abspath(source), fragment_loader or _FRAGMENT_LOADER, is_module=True)
    return _options_spec(doc.get("options") or {}, frozenset(no_log_names), source, "")


def module_argument_spec(module_name: str) -> dict:
    """Return the argument spec of ``lockdown.ipsec.<module_name>``, from its documentation stub.

    The stub is imported as ``ansible_collections.lockdown.ipsec.plugins.modules.<module_name>``;
    options named in :data:`SECRET_OPTION_NAMES` are ``no_log``. The spec is built once per module
    name and process; each call returns a fresh deep copy.

    Raises:
        ImportError: there is no such stub.
        ValueError, ansible.errors.AnsibleError: as :func:`argument_spec_from_doc`.
    """
    return copy.deepcopy(_cached_module_spec(module_name))


def validated_option(module_name: str, option: str, value: object, *, source: str) -> object:
    """``value`` checked and completed as option ``option`` of ``lockdown.ipsec.<module_name>`` would
    be in a task (types, choices, unknown keys, defaults), for data that does not come from a task.

    Raises:
        InvalidInput: at ``source`` (e.g. the file the value comes from), with the argument spec's messages.
    """
    spec = {option: module_argument_spec(module_name)[option]}
    result = ArgumentSpecValidator(spec).validate({option: value})
    if result.error_messages:
        raise InvalidInput(source, option, "; ".join(result.error_messages))
    return result.validated_parameters[option]


@functools.lru_cache(maxsize=None)
def _cached_module_spec(module_name: str) -> dict:
    stub = importlib.import_module(f"{_MODULES_PACKAGE}.{module_name}")
    source = getattr(stub, "__file__", None) or f"{module_name}.py"
    return argument_spec_from_doc(stub.DOCUMENTATION, no_log_names=SECRET_OPTION_NAMES, source=source)


def _options_spec(options: object, no_log_names: frozenset[str], source: str, parent: str) -> dict:
    if not isinstance(options, Mapping):
        where = f"the suboptions of {parent}" if parent else "options"
        raise ValueError(f"{source}: {where} must be a mapping of option names, got {type(options).__name__}")
    spec = {}
    for name, option in options.items():
        path = f"{parent}.{name}" if parent else str(name)
        if not isinstance(option, Mapping):
            raise ValueError(f"{source}: option {path} must be a mapping, got {type(option).__name__}")
        entry = {key: _plain(option[key]) for key in _SPEC_KEYS if key in option}
        for key in ("type", "elements"):
            if entry.get(key) == "int":
                # Only ASCII digits make a number (Ansible's own int type reads '٨٠' as 80).
                entry[key] = whole_number
        if isinstance(entry.get("choices"), dict):
            entry["choices"] = list(entry["choices"])
        if name in no_log_names:
            entry["no_log"] = True
        if option.get("suboptions") is not None:
            entry["options"] = _options_spec(option["suboptions"], no_log_names, source, path)
        spec[str(name)] = entry
    return spec


def _plain(value: object) -> object:
    """``value`` rebuilt from plain ``dict``, ``list``, ``str``, ``int``, ``float`` and ``bool``."""
    if isinstance(value, Mapping):
        return {_plain(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    for kind in (bool, str, int, float):  # bool first: it is an int
        if isinstance(value, kind):
            return kind(value)
    return value


__all__ = ["SECRET_OPTION_NAMES", "argument_spec_from_doc", "module_argument_spec", "validated_option"]
