package main

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestVersionText(t *testing.T) {
	goLine := "go: go1.26.0 " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	bi := func(version string, settings ...string) *debug.BuildInfo {
		b := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/mfa-git/mfa-git", Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			b.Settings = append(b.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return b
	}
	for _, tc := range []struct {
		name string
		ld   linkedVersion
		bi   *debug.BuildInfo
		want string
	}{
		{"GoReleaser", linkedVersion{"1.2.3", "0123456789abcdef0123456789abcdef01234567", "2026-11-30T09:00:00Z"}, bi("(devel)"),
			"mfa-git 1.2.3\ncommit: 0123456789abcdef0123456789abcdef01234567 (2026-11-30T09:00:00Z)\n" + goLine},
		{"install.sh", linkedVersion{"37f6646-dirty", "37f66460000000000000000000000000000000aa", ""}, bi("(devel)", "vcs.modified", "true"),
			"mfa-git 37f6646-dirty\ncommit: 37f66460000000000000000000000000000000aa\n" + goLine},
		{"go install @tag", linkedVersion{}, bi("v1.2.3"),
			"mfa-git v1.2.3\ncommit: not recorded by go install; it is the one tagged v1.2.3\n" + goLine},
		{"go install @commit", linkedVersion{}, bi("v0.0.0-20261130091000-0123456789ab"),
			"mfa-git v0.0.0-20261130091000-0123456789ab\ncommit: 0123456789ab\n" + goLine},
		{"go install @commit after a tag", linkedVersion{}, bi("v1.2.4-0.20261130091000-0123456789ab"),
			"mfa-git v1.2.4-0.20261130091000-0123456789ab\ncommit: 0123456789ab\n" + goLine},
		{"go build in a checkout", linkedVersion{}, bi("(devel)", "vcs.revision", "feedface", "vcs.time", "2026-11-29T10:00:00Z", "vcs.modified", "true"),
			"mfa-git devel\ncommit: feedface (2026-11-29T10:00:00Z), with uncommitted changes\n" + goLine},
		{"nothing known", linkedVersion{}, bi("(devel)"),
			"mfa-git devel\ncommit: unknown (built without version information; release builds and install.sh record it)\n" + goLine},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := versionText(tc.ld, tc.bi); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
