#!/bin/sh
# Build a release with GoReleaser (.goreleaser.yaml).
#
#   ./release.sh --snapshot   build the whole release into dist/ (archives,
#                             .deb and .rpm packages, checksums, Homebrew
#                             formula, Scoop manifest); publish nothing
#   ./release.sh --check      --snapshot twice, and fail unless both runs
#                             give byte-identical archives, packages and
#                             checksums
#   ./release.sh              on a tagged commit (CI): build and publish the
#                             GitHub release; needs GITHUB_TOKEN
#   ./release.sh --prepare    GoReleaser's before hook: write the files the
#                             archives and packages carry into build/release
#
# GoReleaser is pinned and installed with "go install" into a tool folder
# outside the repository ($MFA_GIT_TOOLS, default: $(go env GOPATH)/bin),
# and reused while its version matches; it never enters the product's
# go.mod.
set -eu
cd "$(dirname "$0")"

GORELEASER_VERSION=v2.15.1
# One GoReleaser job at a time: an archive lists its binaries in the order
# their builds finished, so parallel builds made the Windows zips differ
# from run to run (mfa-git.exe and git-credential-mfa-git.exe swapped).
# go build itself still uses every core.
GORELEASER_FLAGS="--parallelism 1"

prepare() {
	out=build/release
	rm -rf "$out"
	mkdir -p "$out/completions" "$out/links"
	# The host's mfa-git prints the completion scripts: the same command
	# table as --help and docs/mfa-git.1.
	CGO_ENABLED=0 go build -trimpath -buildvcs=false -o build/mfa-git-host ./cmd/mfa-git
	build/mfa-git-host completion bash >"$out/completions/mfa-git.bash"
	build/mfa-git-host completion zsh >"$out/completions/_mfa-git"
	build/mfa-git-host completion fish >"$out/completions/mfa-git.fish"
	build/mfa-git-host completion powershell >"$out/completions/mfa-git.ps1"
	# Debian and RPM want man pages compressed; -n keeps the time out of
	# the gzip header, so the packages are reproducible.
	gzip -n -9 -c docs/mfa-git.1 >"$out/mfa-git.1.gz"
	# The name git runs the helper by, next to the binary in the archive.
	ln -s mfa-git "$out/links/git-credential-mfa-git"
	ln -s mfa-git "$out/links/git-remote-codecommit"
	third_party_licenses >"$out/THIRD_PARTY_LICENSES"
}

# third_party_licenses prints the license of every module linked into
# mfa-git on any of the release's platforms (MIT and BSD ask that binary
# distributions carry them).
third_party_licenses() {
	mods=$(for os in linux darwin windows; do
		GOOS=$os go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}{{end}}{{end}}' ./cmd/mfa-git
	done | sort -u)
	echo "mfa-git links the Go standard library and these modules; their licenses follow."
	for m in $mods; do
		dir=$(go list -m -f '{{.Dir}}' "$m")
		echo
		echo "================================================================"
		echo "$m"
		echo "================================================================"
		found=
		for f in "$dir"/LICENSE* "$dir"/LICENCE* "$dir"/COPYING* "$dir"/NOTICE*; do
			[ -f "$f" ] || continue
			found=yes
			echo
			cat "$f"
		done
		[ -n "$found" ] || { echo "release.sh: no license file in $m" >&2; exit 1; }
	done
	echo
	echo "================================================================"
	echo "The Go standard library and runtime"
	echo "================================================================"
	echo
	cat "$(go env GOROOT)/LICENSE"
}

goreleaser_bin() {
	tools=${MFA_GIT_TOOLS:-$(go env GOPATH)/bin}
	bin="$tools/goreleaser"
	if ! "$bin" --version 2>/dev/null | grep -q "GitVersion: *$GORELEASER_VERSION\$"; then
		echo "release.sh: installing GoReleaser $GORELEASER_VERSION into $tools" >&2
		mkdir -p "$tools"
		# Outside this module, so its dependencies stay out of our go.mod.
		(cd / && GOBIN="$tools" GOFLAGS=-mod=mod go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION")
	fi
	echo "$bin"
}

# release_files lists what a release produces that must be identical on
# every run: archives, packages and the checksums file.
release_files() {
	(cd dist && ls -1 *.tar.gz *.zip *.deb *.rpm checksums.txt 2>/dev/null)
}

# GoReleaser reads the commit, its time and the remote from git; without a
# remote (a fresh "git init", a worktree) it falls back to a fake commit
# with no time, and the file times would be today's. Name the project's
# remote for GoReleaser's git calls only; no file is changed.
if ! git ls-remote --get-url >/dev/null 2>&1; then
	export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url GIT_CONFIG_VALUE_0=https://github.com/mfa-git/mfa-git.git
fi

# readme_matches fails unless README.md's Install section names what the
# release in dist/ holds: the file names (with VERSION for the version)
# and every file of a Linux archive.
readme_matches() {
	install=$(sed -n '/^## Install$/,/^## /p' README.md)
	version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)
	[ -n "$version" ] || { echo "release.sh: no version in dist/metadata.json" >&2; return 1; }
	debversion=$(echo "$version" | tr - '~')
	for f in $(release_files); do
		g=$(echo "$f" | sed "s/$version/VERSION/; s/$debversion/VERSION/")
		case "$g" in
		*_darwin_*|*_linux_arm64*|*_windows_arm64*|*_arm64.deb|*.aarch64.rpm)
			g=mfa-git_VERSION_OS_ARCH.tar.gz ;;
		esac
		echo "$install" | grep -qF "$g" || { echo "release.sh: README.md's Install section does not name $g" >&2; return 1; }
	done
	for f in $(tar -tzf dist/mfa-git_"$version"_linux_amd64.tar.gz); do
		case "$f" in completions/*) f=completions/ ;; esac
		echo "$install" | grep -qF "\`$f\`" || { echo "release.sh: README.md's Install section does not name \`$f\` of the archive" >&2; return 1; }
	done
}

case "${1:-}" in
--prepare)
	prepare
	;;
--snapshot)
	gr=$(goreleaser_bin)
	"$gr" release $GORELEASER_FLAGS --snapshot --clean
	echo "release.sh: built into dist/ (nothing published):"
	release_files | sed 's/^/  /'
	;;
--check)
	gr=$(goreleaser_bin)
	mkdir -p build && rm -rf build/first-dist
	"$gr" release $GORELEASER_FLAGS --snapshot --clean >build/first.log 2>&1 || { cat build/first.log >&2; exit 1; }
	mv dist build/first-dist
	"$gr" release $GORELEASER_FLAGS --snapshot --clean >build/second.log 2>&1 || { cat build/second.log >&2; exit 1; }
	n=0
	for f in $(release_files); do
		n=$((n + 1))
		cmp "build/first-dist/$f" "dist/$f" || { echo "release.sh: $f differs between two builds of one commit" >&2; exit 1; }
	done
	[ "$n" -gt 0 ] || { echo "release.sh: no release files in dist/" >&2; exit 1; }
	readme_matches
	echo "release.sh: two snapshot builds gave $n byte-identical files:"
	cat dist/checksums.txt
	;;
"")
	gr=$(goreleaser_bin)
	"$gr" release $GORELEASER_FLAGS --clean
	;;
*)
	echo "release.sh: unknown option $1 (use --snapshot, --check, or none on a tag)" >&2
	exit 2
	;;
esac
