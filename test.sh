#!/usr/bin/env bash
# Runs every test: the unit tests with the race detector, the end-to-end
# scripts (those about concurrency with the race detector), the load
# scenario at full size, each fuzz target for a fixed number of
# executions, and beside them all, at low priority, vet,
# cross-compilation for the platforms this machine cannot run, and
# staticcheck. With arguments, runs only
# `go test ARGS` (e.g. ./test.sh -run TestFile ./internal/keystore), isolated the
# same way. `./test.sh --windows [-run REGEXP] [PACKAGES]` builds the
# tests for windows/amd64 instead and runs them under Wine
# (.ci/wine/run-tests), isolated the same way; as root it first installs
# Wine and binutils-mingw-w64 with apt-get when they are missing.
# `./test.sh --no-fuzz` is everything but the fuzz targets, `./test.sh
# --fuzz` only them (.ci/run runs the two, the second beside the Windows
# tests).
#
# The tests never touch the developer's own keyrings or files. test.sh
# re-runs itself with a clean environment (only PATH, locale and Go's
# settings kept; Go's caches stay the developer's) and a private HOME,
# XDG_* and TMPDIR under one temporary folder; in new user, mount and PID
# namespaces, so the kernel gives it an empty user keyring (@u) of its
# own and every process it started ends with it; in a new kernel session
# keyring; and in a private D-Bus session with its own gnome-keyring,
# whose keyrings live in the private XDG_DATA_HOME. A guard records the
# developer's kernel keys and keyring folders before and after, and fails
# the run if anything changed; the temporary folder is removed.
set -euo pipefail
cd "$(dirname "$0")"

# MFA_GIT_TEST_ISOLATED names the private folder once inside it.
if [ -z "${MFA_GIT_TEST_ISOLATED:-}" ] || [ "${HOME:-}" != "$MFA_GIT_TEST_ISOLATED/home" ]; then
	die() { echo "test.sh: $*" >&2; exit 1; }
	command -v keyctl >/dev/null || die "keyctl is needed to give the tests kernel keyrings of their own: install keyutils"
	command -v unshare >/dev/null || die "unshare is needed to give the tests a user keyring of their own: install util-linux"
	if [ "${1:-}" = --windows ]; then
		# Debian 12 offers Wine 8.0 (wine64: the 64-bit loader, enough for
		# windows/amd64) and GNU binutils for Windows (the ProcessPrng shim).
		missing=()
		for p in wine wine64 binutils-mingw-w64-x86-64; do
			dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
		done
		if [ ${#missing[@]} -gt 0 ]; then
			[ "$(id -u)" -eq 0 ] || die "--windows needs ${missing[*]}: install them (apt-get install --no-install-recommends ${missing[*]}) or run as root"
			apt-get update -qq
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
		fi
	fi

	# What the tests must leave alone: the kernel keys this user can see
	# (without use counts and timeouts, which change by themselves, and
	# without login session keyrings, which come and go with logins), and
	# the keyring folders of the Secret Service, KWallet, pass and
	# mfa-git's file keyring.
	uid=$(id -u)
	home=${HOME:-$(getent passwd "$uid" | cut -d: -f6)}
	data=${XDG_DATA_HOME:-$home/.local/share}
	guarded=("$data/keyrings" "$data/kwalletd" "${PASSWORD_STORE_DIR:-$home/.password-store}" "${XDG_CONFIG_HOME:-$home/.config}/mfa-git")
	snapshot() {
		echo "== /proc/keys of uid $uid"
		awk -v uid="$uid" '$6 == uid && !($8 == "keyring" && $9 ~ /^_ses/) { $3 = $4 = ""; print }' /proc/keys
		# Sorted: a keyring lists its links in no stable order. Only when
		# the user keyring exists: looking at it would create it.
		if grep -q " keyring *_uid\.$uid: " /proc/keys; then
			echo "== keyctl show @u, sorted"
			keyctl show @u 2>&1 | sort
			echo "== keyctl show @s, sorted"
			keyctl show @s 2>&1 | sort
		fi
		for p in "${guarded[@]}"; do
			echo "== $p"
			if [ -e "$p" ]; then find "$p" -printf '%p %y %m %s %T@\n' 2>&1 | sort; else echo absent; fi
		done
	}

	# pyenv's shims are bash scripts that look up the Python version on
	# every start: about 0.3 CPU-s each time a test starts the AWS CLI or
	# moto_server, which the tests do dozens of times. The folder the
	# shims lead to comes first on PATH instead (the same programs).
	if command -v pyenv >/dev/null && real=$(pyenv which aws 2>/dev/null); then
		PATH="$(dirname "$real"):$PATH"
	fi
	# Go's caches and settings stay the developer's: computed before HOME
	# changes.
	keep=(GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)" GOPATH="$(go env GOPATH)" GOENV="$(go env GOENV)"
		STATICCHECK_CACHE="${STATICCHECK_CACHE:-${XDG_CACHE_HOME:-$home/.cache}/staticcheck}")
	while IFS= read -r name; do
		case $name in
		GOOGLE_*) ;;
		PATH | TERM | LANG | LANGUAGE | LC_* | TZ | USER | LOGNAME | GO* | CGO_* | CC | CXX | \
			http_proxy | https_proxy | no_proxy | HTTP_PROXY | HTTPS_PROXY | NO_PROXY | SSL_CERT_FILE | SSL_CERT_DIR | \
			MFA_GIT_CI | MFA_GIT_FUZZTIME | MFA_GIT_STATICCHECK_OS | MFA_GIT_WINE_PREBUILT | PYENV_*) keep+=("$name=${!name}") ;;
		esac
	done < <(compgen -e)

	root=$(mktemp -d "${TMPDIR:-/tmp}/mfa-git-test.XXXXXX")
	snapshot >"$root/guard.before"
	finish() {
		local rc=$? i
		trap - EXIT
		[ -z "${mapper:-}" ] || kill "$mapper" 2>/dev/null || true
		# Keys of the test run's namespaces are freed by the kernel's
		# garbage collector, a moment after the last process ends.
		for i in $(seq 40); do
			snapshot | cmp -s - "$root/guard.before" && break
			sleep 0.25
		done
		if ! snapshot | diff -u "$root/guard.before" - >&2; then
			echo "test.sh: FAIL: the tests changed the developer's kernel keys or keyring folders (diff above)" >&2
			rc=1
		fi
		rm -rf "$root"
		[ ! -e "$root" ] || { echo "test.sh: FAIL: could not remove $root" >&2; rc=1; }
		exit "$rc"
	}
	trap finish EXIT
	trap 'exit 130' INT TERM HUP

	# As / and /tmp are, the root and TMPDIR can be passed through by
	# other users (the tests that run a command as uid 65534 need that),
	# but not listed; the folders that stand for the user's are private.
	mkdir -m 0700 "$root/home" "$root/config" "$root/cache" "$root/data" "$root/state" "$root/runtime"
	mkdir -m 0711 "$root/tmp"
	chmod 0711 "$root"
	keep+=(MFA_GIT_TEST_ISOLATED="$root" HOME="$root/home" XDG_CONFIG_HOME="$root/config" XDG_CACHE_HOME="$root/cache"
		XDG_DATA_HOME="$root/data" XDG_STATE_HOME="$root/state" XDG_RUNTIME_DIR="$root/runtime" TMPDIR="$root/tmp")
	inner=(keyctl session - ./test.sh "$@")
	if command -v dbus-run-session >/dev/null; then
		# The standard session bus, listening in the private runtime folder
		# instead of /tmp.
		cat >"$root/bus.conf" <<-EOF
			<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
			 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
			<busconfig>
			  <type>session</type>
			  <keep_umask/>
			  <listen>unix:dir=$root/runtime</listen>
			  <auth>EXTERNAL</auth>
			  <standard_session_servicedirs/>
			  <policy context="default">
			    <allow send_destination="*" eavesdrop="true"/>
			    <allow eavesdrop="true"/>
			    <allow own="*"/>
			  </policy>
			  $(grep -h '<limit ' /usr/share/dbus-1/session.conf 2>/dev/null || true)
			</busconfig>
		EOF
		inner=(keyctl session - dbus-run-session --config-file="$root/bus.conf" -- ./test.sh "$@")
	fi
	# sh stays as the first process of the PID namespace, where processes
	# that daemonise end up, and reaps them.
	inner=(env -i "${keep[@]}" sh -c '"$@"; exit $?' sh "${inner[@]}")

	# A new user namespace has its own user keyrings (Linux >= 5.3 keeps
	# them per namespace), so the product's user-scope kernel keyring is
	# an empty one that ends with the run; in a new PID namespace every
	# process the tests leave running ends with it too. Root maps every
	# uid, so the tests that run commands as uid 65534 or mount a tmpfs
	# still can; another user maps only itself.
	pidns=(unshare --pid --fork --kill-child --mount-proc --)
	if ! unshare --user --map-current-user --mount "${pidns[@]:1}" true 2>/dev/null; then
		if [ -z "${MFA_GIT_TEST_SHARED_USER_KEYRING:-}${MFA_GIT_CI:-}" ]; then
			die "cannot create a user namespace, so the kernel keyring tests would use your own user keyring (@u).
Allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or kernel.apparmor_restrict_unprivileged_userns=0),
or accept it with MFA_GIT_TEST_SHARED_USER_KEYRING=1 (the guard still checks that @u is left as it was)"
		fi
		echo "test.sh: warning: no user namespace: the kernel keyring tests use this user's keyring (@u); the guard checks it is left as it was" >&2
		"${inner[@]}"
	elif [ "$uid" -ne 0 ]; then
		# One unshare for all: a user that is not root inside the namespace
		# loses its capabilities there at the next exec.
		unshare --user --map-current-user --mount "${pidns[@]:1}" "${inner[@]}"
	else
		# Only a process outside the namespace can map every uid into it:
		# the child says which process it is and waits until that is done.
		mkfifo -m 0600 "$root/ns-pid" "$root/ns-ready"
		(
			read -r pid <"$root/ns-pid"
			echo '0 0 4294967295' >"/proc/$pid/uid_map" && echo '0 0 4294967295' >"/proc/$pid/gid_map" || true
			echo done >"$root/ns-ready"
		) &
		mapper=$!
		unshare --user --mount -- sh -c 'echo $$ >"$0" && read -r _ <"$1" && shift || exit 1
			[ "$(id -u)" = 0 ] || { echo "test.sh: could not map the uids into the user namespace" >&2; exit 1; }
			exec "$@"' "$root/ns-pid" "$root/ns-ready" "${pidns[@]}" "${inner[@]}"
	fi
	exit
fi

# From here on: the private environment test.sh made above.
# Test binaries link without their symbol table and DWARF (-s): a fifth
# less link time each, and a full run links about 80 of them; stack
# traces and race reports keep their function names and lines.
case " ${GOFLAGS:-} " in
*" -ldflags"*) ;;
*) export GOFLAGS="${GOFLAGS:+$GOFLAGS }-ldflags=-s" ;;
esac
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
	export MFA_GIT_TEST_PRIVATE_BUS=1
	if command -v gnome-keyring-daemon >/dev/null; then
		printf 'pw\n' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
		export MFA_GIT_REQUIRE_SECRET_SERVICE=1 MFA_GIT_TEST_KEYRING_PASSWORD=pw
	fi
fi
if [ "${1:-}" = --windows ]; then
	exec .ci/wine/run-tests "${@:2}"
fi
# --no-fuzz runs everything but the fuzz targets, --fuzz only them: .ci/run
# runs the fuzz targets beside the Windows tests, which leave a core idle.
fuzz_only= no_fuzz=
case ${1:-} in
--fuzz) fuzz_only=1; shift ;;
--no-fuzz) no_fuzz=1; shift ;;
esac
if [ $# -gt 0 ]; then
	exec go test "$@"
fi

# Fuzzing is bounded by executions, not seconds: with a duration, Go 1.26's
# fuzz coordinator can report "context deadline exceeded" as a failure when
# the time runs out under load (golang/go#75804, fixed in Go 1.27). The
# counts are 2 to 5 s each on this 2-core machine (each target also costs
# one instrumented build); MFA_GIT_FUZZTIME overrides them all (e.g. 10m,
# or 5000000x).
fuzz() { # target package count
	# A target that is not in the package would fuzz nothing and pass.
	# (grep, not go test -list: that is one more build of the package.)
	grep -q "^func $1(f \*testing.F)" "$2"/*_test.go || { echo "test.sh: no fuzz target $1 in $2" >&2; exit 1; }
	go test -run='^$' -fuzz="^$1\$" -fuzztime="${MFA_GIT_FUZZTIME:-$3}" "$2"
}

# The static checks (vet, cross-compilation, staticcheck) need no test to
# have run and no test needs them: they run beside the tests, at the
# lowest CPU priority, so they take only the CPU the tests leave idle
# while the end-to-end scripts wait. Their output comes after the tests'.
static_checks() {
	echo "== go vet"
	go vet ./...
	GOOS=windows go vet ./...
	GOOS=darwin go vet ./...

	# MFA_GIT_CROSS_TARGETS narrows the targets: .ci/run names those its
	# release build (linux and windows on amd64) does not compile.
	echo "== cross-compile (CGO_ENABLED=0)"
	for target in ${MFA_GIT_CROSS_TARGETS:-darwin/arm64 darwin/amd64 windows/amd64 linux/arm64}; do
		GOOS=${target%/*} GOARCH=${target#*/} CGO_ENABLED=0 go build -o /dev/null ./cmd/... && echo "ok   $target"
	done

	echo "== staticcheck (${MFA_GIT_STATICCHECK_OS:-linux})"
	# Pinned, installed with go install into a tool folder outside the
	# repository ($MFA_GIT_TOOLS, default $(go env GOPATH)/bin) and reused while
	# its version matches; it never enters go.mod. With an empty cache it
	# analyses every dependency (the AWS SDK above all): about 140 CPU
	# seconds per system, so CI runs it for Linux, and the GitHub workflow
	# runs it natively on macOS and Windows; vet covers all three here.
	# MFA_GIT_STATICCHECK_OS="linux darwin windows" runs it for more. Its
	# cache is the developer's, as Go's are (STATICCHECK_CACHE).
	staticcheck_version=0.8.2
	tools=${MFA_GIT_TOOLS:-$(go env GOPATH)/bin}
	if ! "$tools/staticcheck" -version 2>/dev/null | grep -q "($staticcheck_version)\$"; then
		(cd / && GOBIN="$tools" go install "honnef.co/go/tools/cmd/staticcheck@v$staticcheck_version")
	fi
	for os in ${MFA_GIT_STATICCHECK_OS:-linux}; do
		GOOS=$os "$tools/staticcheck" ./... # a finding stops the run here (set -e)
		echo "ok   $os"
	done
}
# The fuzz targets, for a fixed number of executions each, after the
# tests, at normal priority: the fuzzer reports a worker it does not hear
# from in time as hung, and at the lowest priority on a busy machine a
# worker can go unheard.
fuzz_targets() {
	echo "== fuzz"
	fuzz FuzzParse ./gitcred 100000x
	fuzz FuzzParseINI ./internal/profile 20000x
	fuzz FuzzReaderMatchesSDK ./internal/profile 3000x
	fuzz FuzzKindsMatchSDK ./internal/profile 2000x
	fuzz FuzzReadRequest ./internal/agent 40000x
	fuzz FuzzRequestJSON ./internal/agent 10000x
	fuzz FuzzResponseJSON ./internal/agent 20000x
	fuzz FuzzDecode ./internal/session 20000x
	fuzz FuzzParseGitConfig ./internal/gitconfig 3000x
}
if [ -n "$fuzz_only" ]; then
	fuzz_targets
	exit 0
fi
# beside NAME FUNCTION runs FUNCTION in the background at nice 19, its
# output kept for later (after NAME).
beside() {
	(renice -n 19 -p "$BASHPID" >/dev/null; "$2"; echo "test.sh: $1 ended at ${SECONDS}s") >"$TMPDIR/$1.log" 2>&1 &
	eval "${1}_pid=\$!"
}
# after NAME prints what beside NAME wrote and fails if it failed.
after() {
	local rc=0 pid=${1}_pid
	wait "${!pid}" || rc=$?
	cat "$TMPDIR/$1.log"
	[ "$rc" -eq 0 ] || { echo "test.sh: FAIL: $1 failed (above)" >&2; exit 1; }
}
beside static static_checks

# The end-to-end scripts whose mfa-git runs goroutines that share memory
# across requests (the agent, and every script that starts one; signal
# forwarding, interrupts, prompts with deadlines) run with the race
# detector; the others, whose every mfa-git is a short single-purpose
# process, without it: the race-instrumented binary costs a third more
# time on the path that decides how long the tests take. Every unit test
# runs with it. The load scenario (200 helpers against one agent) runs
# once, at full size, without it, after them: 200 race-instrumented
# processes cost more CPU than every other script together, and the
# agent's concurrency is under the race detector in the agent scripts.
race_scripts='agent.*|process-agent|login-agent|sso-.*agent.*|concurrent-logins|doctor|help|keyring-gone|logout-inflight|prompt-elsewhere|readonly-cache|readonly-home|roles-agent|exec-signals|interrupt|token-touch.*'
scripts() {
	# -parallel 64 lets every script start; their own scheduler
	# (cmd/mfa-git/script_sched_test.go) runs them longest first, four
	# light ones per CPU, the heavy ones with fewer beside them.
	echo "== the end-to-end scripts about concurrency, with -race"
	go test -race -count=1 -parallel 64 -run "^TestScript\$/^($race_scripts)\$" ./cmd/mfa-git
	echo "== the other end-to-end scripts"
	go test -count=1 -parallel 64 -run '^TestScript$' -skip "^TestScript\$/^($race_scripts|load)\$" ./cmd/mfa-git
	echo "test.sh: the end-to-end scripts ended at ${SECONDS}s"
}
scripts >"$TMPDIR/scripts.log" 2>&1 &
scripts_pid=$!

echo "== go test -race (every test but the end-to-end scripts)"
go test -race -count=1 -skip '^TestScript$' ./...
echo "test.sh: the other tests ended at ${SECONDS}s"
after scripts

echo "== load: 200 concurrent helpers against the agent (without -race)"
go test -count=1 -run 'TestScript/load$' -v ./cmd/mfa-git | grep -E '^\s+calls |^(ok|FAIL|---)'
echo "test.sh: load ended at ${SECONDS}s"

if [ -z "$no_fuzz" ]; then
	fuzz_targets
	echo "test.sh: fuzz ended at ${SECONDS}s"
fi
echo "== static checks (run beside the tests)"
after static
