#!/usr/bin/env bash
# Prepares PolyBench/C 4.2.1 as a project suite for `paraslm evaluate` (README "Evaluation"), as a user would have it:
# the fetched sources, our CMakeLists.txt and paraslm-suite.json, and the SDK's app.proj + nuget.config beside them.
# Their code is never copied into this repository.
#   prepare.sh MIRROR_OR_SOURCE_DIR TARGET_DIR [FEED_DIR]
# MIRROR_OR_SOURCE_DIR: the bare git folder the `fetch` tool returns for github:MatthiasJReisinger/PolyBenchC-4.2.1,
# or an unpacked copy; FEED_DIR: the folder holding ParaSlm.Sdk.*.nupkg (default: this repository's artifacts/feed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
src="${1:?usage: prepare.sh MIRROR_OR_SOURCE_DIR TARGET_DIR [FEED_DIR]}"
target="${2:?usage: prepare.sh MIRROR_OR_SOURCE_DIR TARGET_DIR [FEED_DIR]}"
feed="$(cd "${3:-$repo/artifacts/feed}" && pwd)"
version="$(ls "$feed" | sed -n 's/^ParaSlm\.Sdk\.\(.*\)\.nupkg$/\1/p' | sort -V | tail -1)"
[ -n "$version" ] || { echo "prepare.sh: no ParaSlm.Sdk package in $feed (run bash .ci/build)" >&2; exit 1; }
mkdir -p "$target"
if [ -f "$src/HEAD" ] && [ -d "$src/objects" ]; then
  git --git-dir="$src" archive HEAD | tar -x -C "$target"
else
  cp -r "$src"/. "$target"/
fi
[ -f "$target/utilities/benchmark_list" ] || { echo "prepare.sh: $target/utilities/benchmark_list missing: is $src PolyBench/C 4.2.1?" >&2; exit 1; }
cp "$here/CMakeLists.txt" "$here/paraslm-suite.json" "$target/"
cat > "$target/app.proj" <<PROJ
<Project Sdk="Microsoft.Build.NoTargets/3.7.0">
  <Sdk Name="ParaSlm.Sdk" Version="$version" />
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
</Project>
PROJ
cat > "$target/nuget.config" <<CONF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="paraslm-local" value="$feed" />
  </packageSources>
</configuration>
CONF
echo "prepared $target (ParaSlm.Sdk $version from $feed)"
