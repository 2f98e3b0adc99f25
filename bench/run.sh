#!/usr/bin/env bash
# Benchmark of the hot path: `mfa-git get` answering from a cached session,
# against a Go program that only reads stdin and prints two lines (the
# floor for any Go helper) and against `aws codecommit credential-helper
# get` signing the same request with the same session.
#
#   bench/run.sh [-n RUNS]
#
# Everything runs in a scratch HOME against the loopback sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=200
[ "${1:-}" = "-n" ] && runs="$2"

out=$(mktemp -d)
sandbox_pid=
cleanup() {
	[ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null || true
	"$out/mfa-git" agent stop >/dev/null 2>&1 || true
	MFA_GIT_AGENT=off "$out/mfa-git" logout --all >/dev/null 2>&1 || true
	# logout empties the kernel keyring of this run's service; remove it.
	if command -v keyctl >/dev/null && id=$(keyctl search @u keyring mfa-git-bench 2>/dev/null); then
		keyctl unlink "$id" @u >/dev/null 2>&1 || true
	fi
	rm -rf "$out"
}
trap cleanup EXIT

CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out/mfa-git" ./cmd/mfa-git
go build -o "$out/mfa-git-sandbox" ./cmd/mfa-git-sandbox
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out/trivial" ./bench/trivial
go build -o "$out/cmdbench" ./bench/cmdbench

export HOME="$out/home" XDG_CACHE_HOME="$out/cache" MFA_GIT_KEYRING_SERVICE=mfa-git-bench AWS_CA_BUNDLE=
export MFA_GIT_AGENT=off MFA_GIT_AGENT_SOCK="$out/agent.sock"
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN 2>/dev/null || true
mkdir -p "$HOME"
"$out/mfa-git-sandbox" --write-aws-files "$HOME/.aws" --sign-in --env-file "$out/env" >/dev/null 2>&1 &
sandbox_pid=$!
for _ in $(seq 100); do [ -s "$out/env" ] && break; sleep 0.1; done
. "$out/env"

host=${GITURL#http://}; host=${host%%/*}
printf 'protocol=http\nhost=%s\npath=v1/repos/demo\n\n' "$host" >"$out/req.txt"
helper=("$out/mfa-git" get --profile sandbox --ignore-host-check --region us-east-1)
"$out/mfa-git" login --profile sandbox --token-command "$out/mfa-git-sandbox code $STS" 2>/dev/null
"${helper[@]}" <"$out/req.txt" | grep -q '^password=' || { echo "bench: mfa-git get did not answer" >&2; exit 1; }
# The IAM Identity Center profile --sign-in wrote: one GetRoleCredentials
# now, none in the timed runs (the counters are compared at the end).
sso=("$out/mfa-git" get --profile sandbox-sso --ignore-host-check --region us-east-1)
"${sso[@]}" <"$out/req.txt" | grep -q '^password=' || { echo "bench: mfa-git get --profile sandbox-sso did not answer" >&2; exit 1; }
before=$("$out/mfa-git-sandbox" stats "$STS")

"$out/mfa-git" status | sed -n 1p
echo "go $(go env GOVERSION), $(nproc) cores, $runs runs each (interleaved)"
echo "== keystore path (MFA_GIT_AGENT=off)"
"$out/cmdbench" -n "$runs" -stdin "$out/req.txt" -- \
	"trivial Go program=$out/trivial" ';' \
	"mfa-git get (keystore)=${helper[0]}" "${helper[@]:1}"

# A profile of another source (credential_process): its cached get takes
# the same path, keyed from the profile alone, the program not run.
expires=$(date -u -d +2hours +%Y-%m-%dT%H:%M:%SZ)
cat >"$out/creds.sh" <<EOF
#!/bin/sh
echo run >>"$out/process-runs"
echo '{"Version": 1, "AccessKeyId": "ASIABENCHPROCESS", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "$expires"}'
EOF
chmod 700 "$out/creds.sh"
printf '[profile process]\ncredential_process = %s\n' "$out/creds.sh" >>"$HOME/.aws/config"
process=("$out/mfa-git" get --profile process --ignore-host-check --region us-east-1)
"${process[@]}" <"$out/req.txt" | grep -q '^password=' || { echo "bench: mfa-git get --profile process did not answer" >&2; exit 1; }
echo "== keystore path, credential_process profile"
"$out/cmdbench" -n "$runs" -stdin "$out/req.txt" -- \
	"trivial Go program=$out/trivial" ';' \
	"mfa-git get (keystore, process)=${process[0]}" "${process[@]:1}"
[ "$(wc -l <"$out/process-runs")" -eq 1 ] || { echo "bench: the cached path ran the credential_process again" >&2; exit 1; }

echo "== keystore path, IAM Identity Center profile"
"$out/cmdbench" -n "$runs" -stdin "$out/req.txt" -- \
	"trivial Go program=$out/trivial" ';' \
	"mfa-git get (keystore, sso)=${sso[0]}" "${sso[@]:1}"

echo "== agent path"
MFA_GIT_AGENT=on "$out/mfa-git" agent >/dev/null
MFA_GIT_AGENT=on "$out/cmdbench" -n "$runs" -stdin "$out/req.txt" -- \
	"trivial Go program=$out/trivial" ';' \
	"mfa-git get (agent)=${helper[0]}" "${helper[@]:1}"

if command -v perf >/dev/null && perf stat -e page-faults true >/dev/null 2>&1; then
	for cmd in trivial mfa-git; do
		if [ $cmd = trivial ]; then c=("$out/trivial"); else c=("${helper[@]}"); fi
		for agent in off on; do
			[ $cmd = trivial ] && [ $agent = on ] && continue
			pf=$(MFA_GIT_AGENT=$agent perf stat -x, -e page-faults -r 20 "${c[@]}" <"$out/req.txt" 2>&1 >/dev/null | cut -d, -f1)
			if [ $cmd = trivial ]; then echo "page faults, trivial: $pf"; else echo "page faults, mfa-git get (agent $agent): $pf"; fi
		done
	done
fi

after=$("$out/mfa-git-sandbox" stats "$STS")
[ "$before" = "$after" ] || { echo "bench: the cached path called the sandbox: $before -> $after" >&2; exit 1; }
echo "sandbox counters unchanged over all runs: $after"

if command -v aws >/dev/null; then
	eval "$("$out/mfa-git" env --profile sandbox)"
	export AWS_DEFAULT_REGION=us-east-1
	aruns=$(( runs / 10 > 10 ? runs / 10 : 10 ))
	echo
	echo "$aruns runs each:"
	"$out/cmdbench" -n "$aruns" -stdin "$out/req.txt" -- \
		"trivial Go program=$out/trivial" ';' \
		"mfa-git get (keystore)=${helper[0]}" "${helper[@]:1}" ';' \
		"aws codecommit cred-helper=aws" codecommit credential-helper get --ignore-host-check
fi
