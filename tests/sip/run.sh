#!/usr/bin/env bash
# Runs the softphone end-to-end suite (tests/sip/e2e.ts) in a private network namespace that has only
# a loopback interface, so the SIP stack, Chromium's ICE and the test server can only talk over
# 127.0.0.1 and cannot collide with anything on the host. Needs root for `unshare --net`; a non-root
# user can try SIP_E2E_UNSHARE="unshare -rn" (a user namespace).
#   tests/sip/run.sh            prints "N passed, N failed"; exit code 0 only if all passed
# Env: SIP_E2E_DIR (logs; default a new /tmp/sip-e2e-* dir), CHROMIUM, SIP_E2E_HTTP_PORT.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [[ "${SIP_E2E_IN_NETNS:-0}" != 1 ]]; then
  # shellcheck disable=SC2086
  exec env SIP_E2E_IN_NETNS=1 ${SIP_E2E_UNSHARE:-unshare --net} -- "$0" "$@"
fi
ip link set lo up
exec npx --no-install tsx tests/sip/e2e.ts "$@"
