#!/bin/sh
# The sandbox walk-through: under a deny-unless-MFA policy, git with the
# IAM user's key gets 403; mfa-git asks for one code, and the clones work.
# Everything runs in a scratch HOME against the loopback sandbox.
set -eu

for tool in git mfa-git mfa-git-sandbox; do
	command -v "$tool" >/dev/null || { echo "walkthrough: $tool is not on PATH (run ./install.sh --walkthrough)" >&2; exit 1; }
done

scratch=$(mktemp -d)
sandbox_pid=
cleanup() {
	[ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null || true
	mfa-git agent stop >/dev/null 2>&1 || true
	MFA_GIT_AGENT=off mfa-git logout --all >/dev/null 2>&1 || true
	rm -rf "$scratch"
}
trap cleanup EXIT INT TERM

export HOME="$scratch/home" XDG_CACHE_HOME="$scratch/cache" XDG_CONFIG_HOME="$scratch/config"
export GIT_CONFIG_NOSYSTEM=1 MFA_GIT_KEYRING_SERVICE=mfa-git-walkthrough AWS_CA_BUNDLE=
export MFA_GIT_AGENT_SOCK="$scratch/agent.sock"
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN 2>/dev/null || true
mkdir -p "$HOME"

mfa-git-sandbox --profile sandbox --write-aws-files "$HOME/.aws" --env-file "$scratch/env" >"$scratch/sandbox.log" 2>&1 &
sandbox_pid=$!
i=0
while [ ! -s "$scratch/env" ]; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$scratch/sandbox.log" >&2; exit 1; }
	sleep 0.1
done
. "$scratch/env"
host=${GITURL#http://}; host=${host%%/*}
git config --global user.name "Walk Through"
git config --global user.email walk@example.invalid

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "1. git with the IAM user's long-term key: the MFA policy denies it"
git config --global "credential.http://$host.helper" "!f() { test \"\$1\" = get && printf 'username=%s\npassword=anything\n' $AKID; }; f"
git clone "$GITURL" "$scratch/plain" || echo "(that 403 is the problem mfa-git solves)"

say "2. git with mfa-git: one MFA code, one sts:GetSessionToken"
git config --global --unset-all "credential.http://$host.helper"
git config --global --add "credential.http://$host.helper" ""
git config --global --add "credential.http://$host.helper" "mfa-git --profile sandbox --ignore-host-check --region us-east-1"
git config --global "credential.http://$host.useHttpPath" true
git config --global --get-regexp '^credential\.' | sed 's/^/    /'
if [ -t 0 ] && [ -z "${CI:-}" ]; then
	echo "(sandbox: the device shows $(mfa-git-sandbox code "$STS") now; type it at the prompt)"
else
	echo "(no terminal: the profile's mfa_process prints the code, as a YubiKey or 1Password would)"
	printf 'mfa_process = mfa-git-sandbox code %s\n' "$STS" >>"$HOME/.aws/config"
fi
git clone "$GITURL" "$scratch/first"

say "3. a second clone: no prompt, no STS call"
git clone "$GITURL" "$scratch/second"
mfa-git status
echo "sandbox counters: $(mfa-git-sandbox stats "$STS")"
