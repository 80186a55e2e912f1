#!/usr/bin/env bash
# Vendor the site's third-party scripts so that the built book loads nothing from a CDN (README.md, "The site").
#
#   book_site/vendor.sh DEST      (run by `make book` / `make test` through the _vendor/.stamp target)
#
# Fetches exact versions from the npm registry with `npm pack` (npm checks each tarball against the registry's
# integrity hash, and we check it again against the pin below), then copies only what the pages load into DEST:
#   DEST/mathjax/   MathJax 3 (Apache-2.0): tex-mml-chtml.js, the lazily loaded TeX/MathML extensions, the CHTML
#                   output fonts, the accessibility and menu components (and the speech engine they load on demand)
#   DEST/widgets/   @jupyter-widgets/html-manager (BSD-3-Clause): embed.js, the stand-alone bundle that renders
#                   saved widget state without RequireJS, with the icon fonts it references
# DEST is listed in html_static_path (_config.yml) and is never committed. Nothing is copied into a `_static`
# folder at the book root, because Jupyter Book 1 would then add every .js/.css file under it to every page.
set -euo pipefail
dest=${1:?usage: book_site/vendor.sh DEST}

# name@version  sha512 integrity (as printed by `npm view NAME@VERSION dist.integrity`)
pins=(
  "mathjax@3.2.2 sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="
  "@jupyter-widgets/html-manager@1.0.15 sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA=="
)

command -v npm >/dev/null || { echo "book_site/vendor.sh: npm is needed (Debian package npm)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for pin in "${pins[@]}"; do
  read -r spec integrity <<<"$pin"
  got=$(cd "$work" && npm pack --silent --json "$spec" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["integrity"])')
  [ "$got" = "$integrity" ] || { echo "book_site/vendor.sh: $spec has integrity $got, expected $integrity" >&2; exit 1; }
done
tar -xzf "$work"/mathjax-*.tgz -C "$work" && mv "$work/package" "$work/mathjax"
tar -xzf "$work"/jupyter-widgets-html-manager-*.tgz -C "$work" && mv "$work/package" "$work/widgets"

rm -rf "$dest.tmp" && mkdir -p "$dest.tmp/mathjax/output" "$dest.tmp/widgets"
mj="$work/mathjax/es5"
cp -r "$mj/tex-mml-chtml.js" "$mj/input" "$mj/a11y" "$mj/ui" "$mj/sre" "$dest.tmp/mathjax/"
cp -r "$mj/output/chtml" "$mj/output/chtml.js" "$dest.tmp/mathjax/output/"
cp "$work/mathjax/LICENSE" "$dest.tmp/mathjax/"
wd="$work/widgets/dist"
cp "$wd/embed.js" "$wd/embed.js.LICENSE.txt" "$wd"/*.woff2 "$wd"/*.woff "$wd"/*.ttf "$wd"/*.eot "$wd"/*.svg "$dest.tmp/widgets/"
cp "$work/widgets/LICENSE" "$dest.tmp/widgets/" 2>/dev/null || true
rm -rf "$dest" && mv "$dest.tmp" "$dest"
touch "$dest/.stamp"
echo "vendored MathJax and the widget embed script into $dest"
