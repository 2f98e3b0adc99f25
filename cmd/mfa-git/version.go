package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// linkedVersion is what the linker was told (see buildVersion).
type linkedVersion struct{ version, commit, date string }

func readBuildInfo() *debug.BuildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	return bi
}

// versionText is what --version prints: the version, the commit it was
// built from, and the Go toolchain. Values given at link time win; else
// the module version "go install ...@v1.2.3" records, the commit in a
// pseudo-version, or the VCS stamp "go build" records in a checkout.
func versionText(ld linkedVersion, bi *debug.BuildInfo) string {
	version, commit, date, modified := ld.version, ld.commit, ld.date, false
	fromModule := false // version from "go install ...@version"
	goVersion := runtime.Version()
	if bi != nil {
		goVersion = bi.GoVersion
		if mv := bi.Main.Version; version == "" && mv != "" && mv != "(devel)" {
			version, fromModule = mv, true
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if commit == "" {
					commit = s.Value
				}
			case "vcs.time":
				if date == "" {
					date = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true" && ld.commit == ""
			}
		}
		if commit == "" {
			commit = pseudoVersionCommit(bi.Main.Version)
		}
	}
	if version == "" {
		version = "devel"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "mfa-git %s\n", version)
	switch {
	case commit == "" && fromModule:
		// Modules are built from the proxy's zip, which has no history.
		fmt.Fprintf(&b, "commit: not recorded by go install; it is the one tagged %s\n", version)
	case commit == "":
		b.WriteString("commit: unknown (built without version information; release builds and install.sh record it)\n")
	case date != "":
		fmt.Fprintf(&b, "commit: %s (%s)", commit, date)
	default:
		fmt.Fprintf(&b, "commit: %s", commit)
	}
	if commit != "" {
		if modified {
			b.WriteString(", with uncommitted changes")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "go: %s %s/%s\n", goVersion, runtime.GOOS, runtime.GOARCH)
	return b.String()
}

// pseudoVersionCommit returns the commit prefix a Go pseudo-version
// (v0.0.0-20261130091000-0123456789ab) ends with, or "".
func pseudoVersionCommit(v string) string {
	v, _, _ = strings.Cut(v, "+")
	i := strings.LastIndexByte(v, '-')
	if i < 0 || len(v)-i-1 != 12 {
		return ""
	}
	rev := v[i+1:]
	if strings.Trim(rev, "0123456789abcdef") != "" {
		return ""
	}
	// The part before the commit is a 14-digit UTC time stamp.
	ts := v[:i]
	if j := strings.LastIndexAny(ts, "-."); j >= 0 {
		ts = ts[j+1:]
	}
	if len(ts) != 14 || strings.Trim(ts, "0123456789") != "" {
		return ""
	}
	return rev
}
