#!/bin/sh
# Build mfa-git with the local Go toolchain and install it, with the
# git-credential-mfa-git link git looks for, into a bin folder, and its man
# page and bash, fish and zsh completions beside it.
#
#   ./install.sh [--prefix DIR] [--configure-git [--profile P]] [--walkthrough]
#
#   --prefix DIR      install into DIR/bin and DIR/share (default: ~/.local)
#   --configure-git   then run "mfa-git setup --yes": git uses mfa-git for
#                     CodeCommit, and the profile gets its mfa_serial
#   --profile P       the AWS profile for --configure-git (default: default)
#   --walkthrough     also install mfa-git-sandbox and run the sandbox
#                     walk-through (a 403, one MFA prompt, a clone)
#
# Without --configure-git it changes no configuration. Running it again
# replaces the binaries.
set -eu

prefix="${HOME}/.local"
walkthrough=no
configure=no
profile=
while [ $# -gt 0 ]; do
	case "$1" in
	--prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }; prefix="$2"; shift 2 ;;
	--prefix=*) prefix="${1#--prefix=}"; shift ;;
	--walkthrough) walkthrough=yes; shift ;;
	--configure-git) configure=yes; shift ;;
	--profile) [ $# -ge 2 ] || { echo "install.sh: --profile needs a name" >&2; exit 2; }; profile="$2"; shift 2 ;;
	-h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
	esac
done

command -v go >/dev/null || { echo "install.sh: Go is not installed; get it from your package manager or go.dev/dl" >&2; exit 1; }
cd "$(dirname "$0")"
bindir="$prefix/bin"
mkdir -p "$bindir"
version=$(git describe --tags --always --dirty 2>/dev/null || echo devel)
commit=$(git rev-parse HEAD 2>/dev/null || true)
date=$(git log -1 --format=%cI 2>/dev/null || true)

say() { echo "install.sh: $*"; }

# build OUT PKG [GO BUILD FLAGS...] runs go build quietly (no "go:
# downloading" lines), and shows go's output only when it fails.
build() {
	out=$1 pkg=$2
	shift 2
	# CGO_ENABLED=0: a static binary starts faster (no dynamic loader, no
	# libc) on every git fetch, and no code path here needs cgo.
	if ! log=$(CGO_ENABLED=0 go build -trimpath "$@" -o "$out" "$pkg" 2>&1); then
		echo "$log" >&2
		echo "install.sh: go build $pkg failed (above); nothing else was installed" >&2
		exit 1
	fi
}

# The first build compiles mfa-git's dependencies (the AWS SDK's STS
# client, the keyring libraries); Go's build cache makes later runs fast.
# Measured here: 343 s with an empty build cache on 2 busy cores; 1 s
# with a warm one.
say "building mfa-git $version with $(go env GOVERSION) (the first build takes minutes, later ones seconds)..."
# The -X flags are what "mfa-git --version" prints (the release build
# sets the same).
build "$bindir/mfa-git" ./cmd/mfa-git \
	-ldflags "-s -w -X main.buildVersion=$version -X main.buildCommit=$commit -X main.buildDate=$date"
say "installed $bindir/mfa-git"
ln -sf mfa-git "$bindir/git-credential-mfa-git"
ln -sf mfa-git "$bindir/git-remote-codecommit"
say "linked    $bindir/git-credential-mfa-git and git-remote-codecommit -> mfa-git"

# The man page and the completions, where man (through PATH),
# bash-completion and fish look for a user's own (for --prefix ~/.local:
# ~/.local/share); zsh needs the folder on its fpath.
share="$prefix/share"
mkdir -p "$share/man/man1" "$share/bash-completion/completions" "$share/fish/vendor_completions.d" "$share/zsh/site-functions"
cp docs/mfa-git.1 "$share/man/man1/mfa-git.1"
"$bindir/mfa-git" completion bash >"$share/bash-completion/completions/mfa-git"
"$bindir/mfa-git" completion fish >"$share/fish/vendor_completions.d/mfa-git.fish"
"$bindir/mfa-git" completion zsh >"$share/zsh/site-functions/_mfa-git"
say "installed the man page and the bash, fish and zsh completions under $share"

if [ "$walkthrough" = yes ]; then
	say "building mfa-git-sandbox, the walk-through's local STS and git server..."
	build "$bindir/mfa-git-sandbox" ./cmd/mfa-git-sandbox -ldflags "-s -w"
	say "installed $bindir/mfa-git-sandbox"
fi

case ":$PATH:" in
*":$bindir:"*) ;;
*) say "note: $bindir is not on your PATH; add: export PATH=\"$bindir:\$PATH\"" ;;
esac

if [ "$configure" = yes ]; then
	say "running: mfa-git setup --yes${profile:+ --profile $profile}"
	"$bindir/mfa-git" setup --yes ${profile:+--profile "$profile"}
fi

if [ "$walkthrough" = yes ]; then
	say "running the walk-through: sh internal/testkit/sandbox/walkthrough.sh"
	PATH="$bindir:$PATH" exec sh internal/testkit/sandbox/walkthrough.sh
fi
