#!/usr/bin/env bash
# The system packages the test suite needs: Chromium and CJK fonts for the
# browser tests. Used by `make test` and .ci/run, so both set up the same way.
#
#   root on Debian/Ubuntu: installs what is missing (apt-get install -y chromium fonts-noto-cjk)
#   anyone else:           prints the one command to run and exits 1 (no silent skip)
#
# On success it prints the Chromium to use (the tests read it as $KG_CHROMIUM).
# Chromium is $KG_CHROMIUM if set, else `chromium` on PATH, else Debian's
# /usr/bin/chromium once installed. KG_DEPS_AS_USER=1 acts as a non-root user
# (to try that path as root).
set -euo pipefail

find_chromium() {
  if [ -n "${KG_CHROMIUM:-}" ]; then
    [ -x "$KG_CHROMIUM" ] && echo "$KG_CHROMIUM"
    return 0
  fi
  command -v chromium 2>/dev/null || true
}
has_cjk_fonts() { fc-list 2>/dev/null | grep -i 'noto.*cjk' >/dev/null; }  # no -q: SIGPIPE + pipefail

missing=()
[ -n "$(find_chromium)" ] || missing+=(chromium)
has_cjk_fonts || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -eq 0 ]; then
  find_chromium
  exit 0
fi

uid=$(id -u)
[ -n "${KG_DEPS_AS_USER:-}" ] && uid=1000
if [ "$uid" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "install_test_deps: installing ${missing[*]} (apt-get, as root)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  chromium=$(find_chromium)
  if [ -z "$chromium" ] && [ -z "${KG_CHROMIUM:-}" ] && [ -x /usr/bin/chromium ]; then
    chromium=/usr/bin/chromium  # where Debian puts it, when PATH does not reach it
  fi
  if [ -n "$chromium" ] && has_cjk_fonts; then
    echo "$chromium"
    exit 0
  fi
  echo "install_test_deps: apt-get ran but chromium or fonts-noto-cjk is still missing" >&2
  exit 1
fi

echo "make test: not installed: ${missing[*]} (the browser tests need them); run:" >&2
if command -v apt-get >/dev/null 2>&1; then
  echo "    sudo apt-get install -y chromium fonts-noto-cjk" >&2
else
  echo "    (install Chromium and the Noto CJK fonts, then KG_CHROMIUM=/path/to/chromium make test)" >&2
fi
exit 1
