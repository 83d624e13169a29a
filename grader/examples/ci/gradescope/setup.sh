#!/usr/bin/env bash
# Example Gradescope setup.sh: runs once, as root, when Gradescope builds
# the autograder image. Installs Go, the grader and the tools the
# submissions are run with.
set -euo pipefail

GO_VERSION=1.26.8    # at least the go line of the grader's go.mod
GRADER_VERSION=latest   # pin a release tag for reproducible grades

apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl python3 gcc libc6-dev
curl -fsSL "https://go.dev/dl/go${GO_VERSION}.linux-amd64.tar.gz" | tar -C /usr/local -xz
GOBIN=/usr/local/bin /usr/local/go/bin/go install "github.com/netlab-grader/grader/grader@${GRADER_VERSION}"
