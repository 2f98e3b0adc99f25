package stale

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A dump-keychain line longer than the scanner takes does not end the
// listing silently: the error names the line, the items before it are
// kept, and clean reports it.
func TestParseKeychainDumpLongLine(t *testing.T) {
	item := func(server string) string {
		return "keychain: \"/k\"\nclass: \"inet\"\nattributes:\n    \"srvr\"<blob>=\"" + server + "\"\n"
	}
	long := "    \"labl\"<blob>=\"" + strings.Repeat("x", maxDumpLine+1) + "\"\n"
	for _, tc := range []struct {
		name, dump string
		items      int
		line       string
	}{
		{"long line in the second item", item("a") + item("b") + long + item("c"), 1, "line 9:"},
		{"long line first", long + item("a"), 0, "line 1:"},
		{"long line in the first item", item("a") + long, 0, "line 5:"},
		{"no long line", item("a") + item("b"), 2, ""},
	} {
		items, err := parseKeychainDump([]byte(tc.dump))
		if len(items) != tc.items {
			t.Errorf("%s: %d items, want %d", tc.name, len(items), tc.items)
		}
		if tc.line == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
		} else if err == nil || !strings.Contains(err.Error(), tc.line) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.line)
		}
	}
}

func TestCleanMacKeychainLongLine(t *testing.T) {
	skipWithoutSh(t)
	dir := t.TempDir()
	dump := filepath.Join(dir, "dump")
	os.WriteFile(dump, []byte("keychain: \"/k\"\nclass: \"inet\"\n    \"labl\"<blob>=\""+strings.Repeat("x", maxDumpLine+1)+"\"\n"), 0o600)
	security := filepath.Join(dir, "security")
	if err := os.WriteFile(security, []byte("#!/bin/sh\ncase \"$1\" in dump-keychain) cat "+dump+";; *) exit 1;; esac\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	removed, err := testCleaner(true).MacKeychain(security)
	if err == nil || !strings.Contains(err.Error(), "line 3: bufio.Scanner: token too long") || len(removed) != 0 {
		t.Fatalf("got %q, %v", removed, err)
	}
}
