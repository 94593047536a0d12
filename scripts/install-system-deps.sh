#!/usr/bin/env bash
# Installs the Debian packages AZ-OS uses beyond Node.js:
#   bubblewrap  the sandbox for shell commands (without it shell tools are refused by default)
#   git         checkpoints (shadow repositories)
#   tmux        the dashboard's end-to-end test drives a real terminal
# Safe to run again; needs root (or sudo) and Debian/Ubuntu. Other systems: install the same packages.
set -euo pipefail
packages=(bubblewrap git tmux)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${packages[*]}"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get not found: install ${missing[*]} with your package manager" >&2
  exit 1
fi
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}" ||
  { "${sudo_cmd[@]}" apt-get update && "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; }
