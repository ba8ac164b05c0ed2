#!/usr/bin/env bash
# Runs the build stage of the Dockerfile without Docker: its WORKDIR, COPY and RUN
# lines, in order, in a fresh directory that stands for the image's WORKDIR. The
# Dockerfile stays the one source of the commands.
#
#   scripts/image-build-stage.sh [OUT_DIR]     # default: a new temp dir, printed at the end
#
# The runtime stage copies package.json, node_modules and dist from OUT_DIR's result.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dockerfile="$repo/Dockerfile"
out=${1:-$(mktemp -d "${TMPDIR:-/tmp}/production-fixer-image-XXXXXX")}
mkdir -p "$out"
stage=${IMAGE_BUILD_STAGE:-build}

in_stage=false
found=false
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    FROM*" AS $stage"|FROM*" as $stage") in_stage=true; found=true; continue ;;
    FROM*) in_stage=false; continue ;;
  esac
  $in_stage || continue
  case "$line" in
    ""|"#"*|WORKDIR*|ENV*|ARG*) ;;
    COPY\ --*) echo "image-build-stage: COPY flags are not supported: $line" >&2; exit 2 ;;
    COPY\ *)
      read -r -a words <<<"${line#COPY }"
      dest=${words[${#words[@]}-1]}
      for src in "${words[@]:0:${#words[@]}-1}"; do
        target="$out/${dest#./}"
        if [ -d "$repo/$src" ]; then
          mkdir -p "$target"
          cp -a "$repo/${src%/}/." "$target"
        else
          mkdir -p "$(dirname "$target/x")"
          cp -a "$repo/$src" "$target"
        fi
      done
      echo "+ $line" ;;
    RUN\ *)
      echo "+ $line"
      (cd "$out" && bash -euo pipefail -c "${line#RUN }") ;;
    *) echo "image-build-stage: unsupported instruction in stage $stage: $line" >&2; exit 2 ;;
  esac
done <"$dockerfile"

if ! $found; then
  echo "image-build-stage: no stage \"$stage\" in $dockerfile" >&2
  exit 2
fi
echo "image-build-stage: build stage done in $out"
