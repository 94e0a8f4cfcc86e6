# shellcheck shell=bash
# Shared by scripts/molecule and scripts/demo: make the checkout visible to Ansible as the collection
# lockdown.ipsec. Source it from the repository root; it defines functions only.

# link_collection: point .cache/collections/ansible_collections/lockdown/ipsec at the checkout (the
# same link the pytest suites make, tests/conftest.py) and export ANSIBLE_COLLECTIONS_PATH to it.
link_collection() {
    mkdir -p .cache/collections/ansible_collections/lockdown
    ln -sfn "$PWD" .cache/collections/ansible_collections/lockdown/ipsec
    export ANSIBLE_COLLECTIONS_PATH="$PWD/.cache/collections"
}
