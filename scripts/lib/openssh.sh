# shellcheck shell=bash
# Shared by the scripts that run the SSH tests: make Debian's OpenSSH server (/usr/sbin/sshd) available to the
# emulated SSH host (tests/emulator/emulated_ssh), which runs its own sshd with its own configuration, keys and
# port from a temporary directory. Source it from the repository root; it defines functions only.

# Where Debian installs the server, and the file with which Debian's ssh service (its systemd unit's
# ConditionPathExists and /etc/init.d/ssh) declines to start.
OPENSSH_SSHD=/usr/sbin/sshd
OPENSSH_NOT_TO_BE_RUN=/etc/ssh/sshd_not_to_be_run

# ensure_openssh_server: install the package openssh-server with apt-get when /usr/sbin/sshd is missing.
# The machine's own ssh service must not start because of it: when this function installs the package, it first
# creates /etc/ssh/sshd_not_to_be_run, so the package's post-installation start, and every later boot, leave the
# service stopped (remove that file to use the machine's sshd as a service). Needs root, or sudo without a password.
# Returns non-zero, with a message on stderr, when sshd is missing and cannot be installed.
ensure_openssh_server() {
    if [ -x "$OPENSSH_SSHD" ]; then
        return 0
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1 || ! sudo -n true 2>/dev/null; then
            echo "ensure_openssh_server: $OPENSSH_SSHD is missing; install the package openssh-server as root" \
                 "(apt-get install openssh-server), or run this as root or with password-less sudo" >&2
            return 1
        fi
        sudo=(sudo -n)
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "ensure_openssh_server: $OPENSSH_SSHD is missing and apt-get is not available; install OpenSSH's server" \
             "so that $OPENSSH_SSHD exists" >&2
        return 1
    fi
    echo "ensure_openssh_server: installing openssh-server (its ssh service stays stopped: $OPENSSH_NOT_TO_BE_RUN)"
    if ! { "${sudo[@]}" mkdir -p "$(dirname "$OPENSSH_NOT_TO_BE_RUN")" && "${sudo[@]}" touch "$OPENSSH_NOT_TO_BE_RUN"; }; then
        echo "ensure_openssh_server: cannot create $OPENSSH_NOT_TO_BE_RUN" >&2
        return 1
    fi
    local install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-server)
    # A fresh machine (a container image, say) often has no package lists yet: read them once and try again.
    if ! "${install[@]}" >&2; then
        echo "ensure_openssh_server: apt-get install failed; reading the package lists (apt-get update) and trying again" >&2
        if ! { "${sudo[@]}" apt-get update >&2 && "${install[@]}" >&2; }; then
            echo "ensure_openssh_server: apt-get could not install openssh-server" >&2
            return 1
        fi
    fi
    if [ ! -x "$OPENSSH_SSHD" ]; then
        echo "ensure_openssh_server: openssh-server is installed but $OPENSSH_SSHD is still missing" >&2
        return 1
    fi
}
