#!/bin/sh
# The sandbox walk-through: under a deny-unless-MFA policy, git with the
# IAM user's key gets 403; mfa-git asks for one code, and the clones work.
# Everything runs in a scratch HOME against the loopback sandbox.
set -eu

for tool in git mfa-git git-credential-mfa-git mfa-git-sandbox; do
	command -v "$tool" >/dev/null || { echo "walkthrough: $tool is not on PATH (from a checkout: ./install.sh --walkthrough; a release archive or package installs it too)" >&2; exit 1; }
done

here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
sandbox_pid=
cleanup() {
	if [ -n "$sandbox_pid" ]; then
		# SIGTERM: the sandbox removes its own temporary folder, then exits.
		kill "$sandbox_pid" 2>/dev/null || true
		wait "$sandbox_pid" 2>/dev/null || true
	fi
	mfa-git agent stop >/dev/null 2>&1 || true
	MFA_GIT_AGENT=off mfa-git logout --all >/dev/null 2>&1 || true
	# logout empties the kernel keyring of this run's service; remove it.
	if command -v keyctl >/dev/null && id=$(keyctl search @u keyring mfa-git-walkthrough 2>/dev/null); then
		keyctl unlink "$id" @u >/dev/null 2>&1 || true
	fi
	rm -rf "$scratch"
}
# Ctrl-C and SIGTERM end the script, and the EXIT trap cleans up (a trap
# that only cleaned up would let the script carry on after it).
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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
# What a user runs for CodeCommit is "mfa-git setup --profile P"; the
# sandbox's git server is a loopback URL, named with --url and --region.
echo "$ mfa-git setup --profile sandbox --url http://$host --region us-east-1"
mfa-git setup --profile sandbox --url "http://$host" --region us-east-1
if [ -t 0 ] && [ -z "${CI:-}" ]; then
	# mfa-git asks through GIT_ASKPASS when it is set, as in an IDE: this
	# one shows the device's code at the moment mfa-git asks for it.
	cp "$here/walkthrough-askpass.sh" "$scratch/askpass"
	chmod 700 "$scratch/askpass"
	export GIT_ASKPASS="$scratch/askpass" MFA_GIT_SANDBOX_STS="$STS"
	tries=1
	until git clone "$GITURL" "$scratch/first"; do
		[ "$tries" -lt 3 ] || { echo "walkthrough: $tries codes were refused; run it again" >&2; exit 1; }
		tries=$((tries + 1))
		echo "(AWS refused that code: each code works once, and only around its 30 seconds. Try again with the code shown now.)"
	done
	unset GIT_ASKPASS
else
	echo "(no terminal: the profile's mfa_process prints the code, as a YubiKey or 1Password would)"
	printf 'mfa_process = mfa-git-sandbox fresh-code %s\n' "$STS" >>"$HOME/.aws/config"
	git clone "$GITURL" "$scratch/first"
fi

say "3. a second clone: no prompt, no STS call"
git clone "$GITURL" "$scratch/second"
mfa-git status
echo "sandbox counters: $(mfa-git-sandbox stats "$STS")"

say "4. your own AWS account: the same three steps"
cat <<'EOF_NEXT'
    mfa-git add --profile base     # move the IAM user's long-term key into your OS keyring
    mfa-git setup --profile base   # configure git for CodeCommit; finds your MFA device
    git clone https://git-codecommit.REGION.amazonaws.com/v1/repos/REPO
(base is the profile holding your keys in ~/.aws/credentials; mfa-git doctor checks it all)
EOF_NEXT
