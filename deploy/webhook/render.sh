#!/usr/bin/env bash
# Renders the chart into deploy/webhook/manifests/kordon-webhook.yaml (plain manifests for
# kubectl apply): namespace kordon-system, placeholders for the image digest and the CA bundle.
# A test (test/live/webhook-chart.test.ts) checks the file equals a fresh render.
set -euo pipefail
cd "$(dirname "$0")"
helm="${HELM:-helm}"
"$helm" template kordon-webhook chart --namespace kordon-system \
  --set image.digest=sha256:0000000000000000000000000000000000000000000000000000000000000000 \
  --set caBundle=REPLACE-WITH-THE-CA-PEM > manifests/kordon-webhook.yaml
