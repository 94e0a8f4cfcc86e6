"""Sphinx configuration of lockdown.ipsec's documentation site, built by scripts/check-docs.

scripts/check-docs writes the collection's reference pages (modules, the role, the filters) with
antsibull-docs into .cache/docs/rst, puts index.rst beside them and runs sphinx-build -W with this
configuration. The build is offline: no intersphinx inventory is fetched. The few references the
generated pages make to Ansible's own documentation (action plugins, common return values, the
configuration settings, ansible.builtin plugins) are resolved below to links into that site; any other
reference that does not resolve stays a warning, which -W makes an error.
"""

import re

from docutils import nodes

project = "lockdown.ipsec"
copyright = "lockdown.ipsec contributors"  # pylint: disable=redefined-builtin
title = "lockdown.ipsec documentation"
html_short_title = "lockdown.ipsec"
html_title = "lockdown.ipsec documentation"

# sphinx_antsibull_ext renders the markup antsibull-docs writes (option tables, semantic markup).
extensions = ["sphinx_antsibull_ext"]

pygments_style = "ansible"
highlight_language = "YAML+Jinja"

html_theme = "sphinx_ansible_theme"
html_show_sphinx = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False
# The theme's top bar and logo link to the project, not to Ansible's blog and forum.
REPOSITORY = "https://github.com/lockdown-ipsec/lockdown.ipsec"
html_theme_options = {
    "topbar_links": {"Repository": REPOSITORY, "Issues": REPOSITORY + "/issues"},
    "documentation_home_url": REPOSITORY,
}

default_role = "any"
nitpicky = True


# Ansible's documentation site, and the labels of it that antsibull-docs' pages refer to.
ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/latest/"
ANSIBLE_LABELS = {
    "action_plugins": "plugins/action.html#action-plugins",
    "common_return_values": "reference_appendices/common_return_values.html#common-return-values",
    "ansible_configuration_settings": "reference_appendices/config.html#ansible-configuration-settings",
}
BUILTIN_PLUGIN = re.compile(r"ansible_collections\.ansible\.builtin\.(\w+)_(module|lookup|filter|test|connection|become|callback)$")


def _ansible_docs_reference(app, env, node, contnode):  # pylint: disable=unused-argument
    """Resolve a reference to Ansible's own documentation to a link into docs.ansible.com."""
    if node.get("refdomain") != "std" or node.get("reftype") != "ref":
        return None
    target = node.get("reftarget", "")
    if target in ANSIBLE_LABELS:
        uri = ANSIBLE_DOCS + ANSIBLE_LABELS[target]
    else:
        match = BUILTIN_PLUGIN.match(target)
        if not match:
            return None
        uri = f"{ANSIBLE_DOCS}collections/ansible/builtin/{match.group(1)}_{match.group(2)}.html"
    reference = nodes.reference("", "", internal=False, refuri=uri)
    reference += contnode
    return reference


def setup(app):
    """Register the resolver of references to Ansible's documentation."""
    app.connect("missing-reference", _ansible_docs_reference)
    return {"parallel_read_safe": True}
