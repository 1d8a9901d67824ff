#!/bin/sh
# The image's runtime tree: `production-install.sh OUT [pnpm install flags…]`, run from a built
# checkout. Copies apps/ and packages/ as built (no node_modules, no tests) into OUT with a
# workspace of just them, and installs their production dependencies only (no devDependencies,
# nothing of test/, bench/ or examples/). deploy/Dockerfile runs it; so does
# test/deploy/production-install.test.ts, which then starts every app from OUT, so a runtime import
# missing from a package's dependencies fails the tests, not the image.
set -eu
if [ "$#" -lt 1 ]; then
  echo "usage: production-install.sh OUT [pnpm install flags…]" >&2
  exit 64
fi
out="$1"
shift
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$out"
cd "$root"
cp package.json pnpm-lock.yaml .npmrc "$out/"
printf 'packages:\n  - apps/*\n  - packages/*\nonlyBuiltDependencies:\n  - msgpackr-extract\n' > "$out/pnpm-workspace.yaml"
tar -cf - --exclude=node_modules --exclude='*.tsbuildinfo' --exclude='*.test.ts' apps packages | tar -xf - -C "$out"
cd "$out"
pnpm install --prod --frozen-lockfile "$@"
for app in apps/*; do
  test -f "$app/dist/main.js" || { echo "no $app/dist/main.js: build the workspace first (pnpm build)" >&2; exit 1; }
done
