#!/bin/sh
# Runs one Stagecraft app: `stagecraft-app <app> [args…]`, or the app in STAGECRAFT_APP.
# `exec` makes node the process tini signals, so SIGTERM reaches the app's graceful shutdown.
set -eu
root="${STAGECRAFT_APP_ROOT:-/app}"
app="${STAGECRAFT_APP:-}"
if [ "$#" -gt 0 ]; then
  app="$1"
  shift
fi
if [ -z "$app" ]; then
  echo "stagecraft-app: name the app to run (one of: $(ls "$root/apps" | tr '\n' ' '))" >&2
  exit 64
fi
main="$root/apps/$app/dist/main.js"
if [ ! -f "$main" ]; then
  echo "stagecraft-app: no app \"$app\" in this image (apps: $(ls "$root/apps" | tr '\n' ' '))" >&2
  exit 64
fi
exec node "$main" "$@"
