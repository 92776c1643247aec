#!/usr/bin/env bash
# Agent bootstrap for the ParaSlm pipelines (Ubuntu/Debian agents): compilers, clang-19 + libomp (TSan/Archer),
# CMake and Ninja. Idempotent: installs only what is missing. The .NET 10 SDK must be on the agent (or add UseDotNet@2).
set -euo pipefail
PACKAGES=(gcc g++ make clang-19 llvm-19 libclang1-19 libomp-19-dev libclang-rt-19-dev cmake ninja-build)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "##vso[task.logissue type=error]the .NET 10 SDK is missing on this agent (add a UseDotNet@2 step)"; exit 1; }
echo "bootstrap: ok ($(dotnet --version), $(clang-19 --version | head -1))"
