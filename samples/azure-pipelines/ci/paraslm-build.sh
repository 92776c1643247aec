#!/usr/bin/env bash
# The build step of both pipelines: `dotnet build $PROJECT` with ParaSlm's settings from the environment, then the
# SARIF log into the folder the CodeAnalysisLogs artifact publishes. Run it locally the same way:
#   PARASLM_VALIDATE=all bash ci/paraslm-build.sh
set -euo pipefail
PROJECT="${PROJECT:-app.proj}"
STAGING="${BUILD_ARTIFACTSTAGINGDIRECTORY:-$PWD/artifacts/ci}"
REPORT="$STAGING/paraslm-report"
args=("-p:ParaSlmMode=${PARASLM_MODE:-Apply}" "-p:ParaSlmValidate=${PARASLM_VALIDATE:-none}"
      "-p:ParaSlmFailOn=${PARASLM_FAIL_ON:-none}" "-p:ParaSlmReportDir=$REPORT/" "-p:ParaSlmSarif=true")
if [[ -n "${PARASLM_CACHE:-}" ]]; then
  args+=("-p:ParaSlmCache=$PARASLM_CACHE")                    # redis://host:port (PR builds, shared by the team)
elif [[ -n "${PARASLM_CACHE_DIR:-}" ]]; then
  mkdir -p "$PARASLM_CACHE_DIR"
  args+=("-p:ParaSlmCache=$PARASLM_CACHE_DIR/plans.db")       # SQLite, carried from night to night by Cache@2
fi
status=0
dotnet build "$PROJECT" -nologo "${args[@]}" || status=$?
# The Scans tab reads *.sarif from an artifact named CodeAnalysisLogs.
mkdir -p "$STAGING/CodeAnalysisLogs"
if [[ -f "$REPORT/paraslm.sarif" ]]; then cp "$REPORT/paraslm.sarif" "$STAGING/CodeAnalysisLogs/paraslm.sarif"; fi
exit "$status"
