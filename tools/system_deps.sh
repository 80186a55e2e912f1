#!/usr/bin/env bash
# The Debian packages a make target needs beyond Python 3.11, make and git (the Makefile calls this first).
#
#   tools/system_deps.sh PACKAGE...     known: chromium (the browser tests drive /usr/bin/chromium through
#                                       Playwright), npm (book_site/vendor.sh fetches MathJax and the widget script),
#                                       bubblewrap (hmbook grade runs every submission in a bwrap sandbox)
#
# A package that is missing is installed when this machine allows it (root, with apt-get; set HMBOOK_APT=0 to
# forbid it); otherwise the target stops here, in its first second, with one line naming what to install, rather
# than after minutes of tests that cannot pass.
set -euo pipefail
missing=()
for pkg in "$@"; do
  case $pkg in
    chromium) [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
    npm) command -v npm >/dev/null || missing+=(npm) ;;
    bubblewrap) command -v bwrap >/dev/null || missing+=(bubblewrap) ;;
    *) echo "tools/system_deps.sh: unknown package '$pkg' (known: chromium, npm, bubblewrap)" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${HMBOOK_APT:-1}" != 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "hmbook needs the Debian package(s) ${missing[*]}: install them (sudo apt-get install ${missing[*]}) and run make again" >&2
exit 1
