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
#   ./release.sh --prepare VERSION
#                             GoReleaser's before hook: write the files the
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
	version=$1
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
	gzip -n -9 -c packaging/man/mfa-git-sandbox.1 >"$out/mfa-git-sandbox.1.gz"
	# The name git runs the helper by, next to the binary in the archive.
	ln -s mfa-git "$out/links/git-credential-mfa-git"
	ln -s mfa-git "$out/links/git-remote-codecommit"
	third_party_licenses >"$out/THIRD_PARTY_LICENSES"
	# What every Debian package carries in /usr/share/doc/PACKAGE.
	debian_copyright >"$out/copyright"
	debian_changelog "$version" | gzip -n -9 >"$out/changelog.gz"
}

# linked_modules lists module@version of every module linked into mfa-git
# or mfa-git-sandbox on any of the release's platforms.
linked_modules() {
	for os in linux darwin windows; do
		GOOS=$os go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}{{end}}{{end}}' ./cmd/mfa-git ./cmd/mfa-git-sandbox
	done | LC_ALL=C sort -u
}

# license_files prints the license and notice files of the module in
# folder $1, and fails when it has none.
license_files() {
	found=
	for f in "$1"/LICENSE* "$1"/LICENCE* "$1"/COPYING* "$1"/NOTICE*; do
		[ -f "$f" ] || continue
		found=yes
		echo "$f"
	done
	[ -n "$found" ] || { echo "release.sh: no license file in $1" >&2; return 1; }
}

# third_party_licenses prints the license of every module linked into
# mfa-git on any of the release's platforms (MIT and BSD ask that binary
# distributions carry them).
third_party_licenses() {
	mods=$(linked_modules)
	echo "mfa-git and mfa-git-sandbox link the Go standard library and these modules; their licenses follow."
	for m in $mods; do
		dir=$(go list -m -f '{{.Dir}}' "$m")
		files=$(license_files "$dir") || exit 1
		echo
		echo "================================================================"
		echo "$m"
		echo "================================================================"
		for f in $files; do
			echo
			cat "$f"
		done
	done
	echo
	echo "================================================================"
	echo "The Go standard library and runtime"
	echo "================================================================"
	echo
	cat "$(go env GOROOT)/LICENSE"
}

# spdx_name prints the Debian short name of the license in file $1 (the
# names of Debian's machine-readable copyright format), and fails on a
# license it does not know, so a new dependency's license is looked at.
spdx_name() {
	if grep -q 'Apache License' "$1" && grep -q 'Version 2.0' "$1"; then
		echo Apache-2.0
	elif grep -q 'Permission is hereby granted, free of charge' "$1"; then
		echo Expat
	elif grep -q 'Redistribution and use in source and binary forms' "$1"; then
		if grep -qi 'neither the name\|names of its contributors' "$1"; then echo BSD-3-Clause; else echo BSD-2-Clause; fi
	else
		echo "release.sh: unknown license in $1: add it to spdx_name" >&2
		return 1
	fi
}

# dep5_text prints stdin as the text of a copyright-format field: each
# line indented by one space, an empty line as " ." (none at the end).
dep5_text() {
	awk '/^[[:space:]]*$/ { blank++; next }
		{ while (blank > 0) { print " ."; blank-- }; print " " $0 }'
}

# copyright_lines prints the "Copyright ..." lines of the given files as
# the format's Copyright field wants them (without the word, one a line).
copyright_lines() {
	grep -h '^Copyright' "$@" 2>/dev/null | grep -v '\[' |
		sed 's/^Copyright[[:space:]]*//; s/^([cC])[[:space:]]*//; s/^©[[:space:]]*//; s/[[:space:]]*$//' |
		grep . | sort -u
}

# dep5_paragraph prints one Files paragraph: $1 the files, $2 what they
# are, $3 the module's folder, $4 its license file.
dep5_paragraph() {
	license=$(spdx_name "$4") || return 1
	# shellcheck disable=SC2046 # the folder's license files, one word each
	holders=$(copyright_lines $(license_files "$3"))
	[ -n "$holders" ] || holders="the authors of $2"
	echo
	echo "Files: $1"
	echo "Copyright: $(echo "$holders" | sed '2,$s/^/ /')"
	echo "Comment: $2, linked into mfa-git or mfa-git-sandbox"
	if [ "$license" = Apache-2.0 ]; then
		# Its text is in Debian's common-licenses; the paragraph at the
		# end says where.
		echo "License: Apache-2.0"
	else
		echo "License: $license"
		dep5_text <"$4"
	fi
}

# debian_copyright prints /usr/share/doc/mfa-git/copyright in Debian's
# machine-readable format: mfa-git's own license and notice, then every
# linked module with its copyright lines and license text. The Files
# fields name each module by its import path.
debian_copyright() {
	cat <<-'EOT'
	Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
	Upstream-Name: mfa-git
	Upstream-Contact: mfa-git developers <mfa-git@users.noreply.github.com>
	Source: https://github.com/mfa-git/mfa-git

	Files: *
	EOT
	echo "Copyright: $(copyright_lines NOTICE)"
	echo "License: Apache-2.0"
	echo "Comment: NOTICE, installed beside this file, lists the notices of the"
	echo " Apache-2.0 modules mfa-git links, as their license asks."
	# A module before the modules inside its path: the format's last
	# matching paragraph wins.
	for m in $(linked_modules | sed 's/@/ /' | LC_ALL=C sort | tr ' ' @); do
		dir=$(go list -m -f '{{.Dir}}' "$m")
		lic=$(license_files "$dir" | grep -v '/NOTICE' | head -n 1)
		[ -n "$lic" ] || { echo "release.sh: no license (only a notice) in $m" >&2; return 1; }
		dep5_paragraph "${m%@*}/*" "the Go module $m" "$dir" "$lic" || return 1
	done
	goroot=$(go env GOROOT)
	dep5_paragraph "go/src/*" "the Go standard library and runtime ($(go env GOVERSION))" "$goroot" "$goroot/LICENSE"
	cat <<-'EOT'

	License: Apache-2.0
	 Licensed under the Apache License, Version 2.0 (the "License"); you may
	 not use this file except in compliance with the License. You may obtain
	 a copy of the License at https://www.apache.org/licenses/LICENSE-2.0
	 .
	 Unless required by applicable law or agreed to in writing, software
	 distributed under the License is distributed on an "AS IS" BASIS,
	 WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
	 See the License for the specific language governing permissions and
	 limitations under the License.
	 .
	 On Debian systems, the complete text of the Apache License, Version 2.0
	 can be found in "/usr/share/common-licenses/Apache-2.0".
	EOT
}

# debian_changelog prints the package's changelog in Debian's format: one
# entry for version $1 (GoReleaser's; the package's is the same with ~
# for -), dated with the commit's time so that builds are reproducible.
debian_changelog() {
	[ -n "$1" ] || { echo "release.sh: --prepare needs the version GoReleaser builds" >&2; return 1; }
	debversion=$(echo "$1" | tr - '~')
	commit=$(git rev-parse HEAD)
	date=$(TZ=UTC LC_ALL=C git log -1 --date='format-local:%a, %d %b %Y %H:%M:%S +0000' --format=%cd HEAD)
	case "$1" in
	*-snapshot*) what="Snapshot of commit $commit,
    not a release." ;;
	*) what="Release $1, commit $commit; its notes:
    https://github.com/mfa-git/mfa-git/releases/tag/v$1" ;;
	esac
	cat <<-EOT
	mfa-git ($debversion) unstable; urgency=medium

	  * $what

	 -- mfa-git developers <mfa-git@users.noreply.github.com>  $date
	EOT
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
		echo "$install" | grep -qF "\`$f\`" || { echo "release.sh: README.md's Install section does not name \`$f\` of the archive" >&2; return 1; }
	done
}

case "${1:-}" in
--prepare)
	prepare "${2:-}"
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
	flags=$GORELEASER_FLAGS
	if [ -n "${MFA_GIT_RELEASE_AMD64_ONLY:-}" ]; then
		# .ci/run: the same configuration for linux and windows on amd64
		# only (what .ci/deb-check and .ci/archive-check install, and the
		# Windows archive): each other target costs a full compilation
		# (about 100 CPU-s here) beside the tests; test.sh cross-compiles
		# darwin there instead. The tagged release builds everything.
		sed -e 's/goos: \[darwin, linux\]/goos: [linux]/' -e 's/goarch: \[amd64, arm64\]/goarch: [amd64]/' .goreleaser.yaml >build/goreleaser-amd64.yaml
		flags="$flags --config build/goreleaser-amd64.yaml"
	fi
	# shellcheck disable=SC2086 # flags are words
	"$gr" release $flags --snapshot --clean >build/first.log 2>&1 || { cat build/first.log >&2; exit 1; }
	mv dist build/first-dist
	# shellcheck disable=SC2086
	"$gr" release $flags --snapshot --clean >build/second.log 2>&1 || { cat build/second.log >&2; exit 1; }
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
