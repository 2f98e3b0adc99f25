#!/usr/bin/env bash
# Runs every test: vet, the unit and end-to-end tests with the race
# detector, each fuzz target for about 10 s, and cross-compilation for
# the platforms this machine cannot run.
#
# When dbus-run-session and gnome-keyring are installed, it re-runs itself
# inside a private D-Bus session with the login keyring unlocked, so the
# Secret Service tests run against a real Secret Service.
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${MFA_GIT_IN_DBUS:-}" ] && command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
	export MFA_GIT_IN_DBUS=1
	exec dbus-run-session -- "$0" "$@"
fi
if [ -n "${MFA_GIT_IN_DBUS:-}" ]; then
	printf 'pw\n' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	export MFA_GIT_REQUIRE_SECRET_SERVICE=1 MFA_GIT_TEST_KEYRING_PASSWORD=pw
fi

# Fuzzing is bounded by executions, not seconds: with a duration, Go 1.26's
# fuzz coordinator can report "context deadline exceeded" as a failure when
# the time runs out under load (golang/go#75804, fixed in Go 1.27). The
# counts are about 10 s each on this 2-core machine; MFA_GIT_FUZZTIME
# overrides all three (e.g. 10m, or 5000000x).
fuzz() { # target package count
	go test -run='^$' -fuzz="^$1\$" -fuzztime="${MFA_GIT_FUZZTIME:-$3}" "$2"
}

echo "== go vet"
go vet ./...

echo "== go test -race"
go test -race -count=1 ./...

echo "== load: 200 concurrent helpers against the agent (without -race)"
go test -count=1 -run 'TestScript/load$' -v ./cmd/mfa-git | grep -E '^\s+calls |^(ok|FAIL|---)'

echo "== fuzz"
fuzz FuzzParse ./gitcred 400000x
fuzz FuzzParseINI ./session 150000x
fuzz FuzzReadRequest ./agent 130000x

echo "== cross-compile (CGO_ENABLED=0)"
for target in darwin/arm64 darwin/amd64 windows/amd64 linux/arm64; do
	GOOS=${target%/*} GOARCH=${target#*/} CGO_ENABLED=0 go build -o /dev/null ./cmd/... && echo "ok   $target"
done

echo "== staticcheck (linux, darwin, windows)"
# Pinned, installed with go install into a tool folder outside the
# repository ($MFA_GIT_TOOLS, default $(go env GOPATH)/bin) and reused while
# its version matches; it never enters go.mod.
staticcheck_version=0.8.2
tools=${MFA_GIT_TOOLS:-$(go env GOPATH)/bin}
if ! "$tools/staticcheck" -version 2>/dev/null | grep -q "($staticcheck_version)\$"; then
	(cd / && GOBIN="$tools" go install "honnef.co/go/tools/cmd/staticcheck@v$staticcheck_version")
fi
for os in linux darwin windows; do
	GOOS=$os "$tools/staticcheck" ./... # a finding stops the run here (set -e)
	echo "ok   $os"
done
