package stale

import (
	"sort"
	"strings"
	"testing"
)

func TestWinTargetHost(t *testing.T) {
	raw := testAKID + "%" + testToken
	for _, c := range []struct{ target, user, want string }{
		{"git:https://" + testCC, raw, testCC},                                         // GCM, first entry
		{"git:https://" + raw + "@" + testCC + "/v1/repos/app", raw, testCC},           // wincred, raw % / + =
		{"git:https://" + raw + "@" + testCC, raw, testCC},                             // GCM with the account
		{"LegacyGeneric:target=git:https://" + testCC, testIAM, testCC},                // as cmdkey shows it
		{"git:https://first.last_corp-at-1@" + testCC, "first.last@corp-at-1", testCC}, // GCM writes @ as _
		{"git:https://" + testCC + ":8443/v1/repos/x", "", testCC + ":8443"},
		{"git:https://github.com", "u", "github.com"},
		{"git:https://someone-else@" + testCC, raw, ""}, // a user that is not the entry's
		{"git:https://" + raw + "@" + testCC, "", ""},   // no user to cut at: unparseable
		{"git:http://" + testCC, "", ""},
		{"mfa-git:session/base", "", ""},
		{"git:https://", "", ""},
		{"", "", ""},
	} {
		if got := winTargetHost(c.target, c.user); got != c.want {
			t.Errorf("winTargetHost(%q, %q) = %q, want %q", c.target, c.user, got, c.want)
		}
	}
}

// fakeWinCred is Windows Credential Manager in memory. A delete of a
// target in keep reports success and removes nothing.
type fakeWinCred struct {
	creds   []winCred
	deleted []string
	keep    map[string]bool
}

func (f *fakeWinCred) list() ([]winCred, error) { return append([]winCred(nil), f.creds...), nil }

func (f *fakeWinCred) read(target string) (winCred, bool, error) {
	for _, c := range f.creds {
		if c.Target == target {
			return c, true, nil
		}
	}
	return winCred{}, false, nil
}

func (f *fakeWinCred) deleteGeneric(target string) error {
	f.deleted = append(f.deleted, target)
	if f.keep[target] {
		return nil
	}
	for i, c := range f.creds {
		if c.Target == target {
			f.creds = append(f.creds[:i], f.creds[i+1:]...)
			break
		}
	}
	return nil
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// winCredCases are credentials in every target form git's wincred helper
// and Git Credential Manager write, and the targets of those clean must
// remove.
func winCredCases() (creds []winCred, stale []string) {
	raw := testAKID + "%" + testToken
	stale = []string{
		"git:https://" + raw + "@" + testCC + "/v1/repos/app", // wincred
		"git:https://" + testCC,                               // GCM
		"git:https://git-codecommit.eu-west-1.amazonaws.com",  // UTF-8 blob
		"git:https://" + testAKID + "@" + testCC + "/v1/repos/refresh",
	}
	return []winCred{
		{stale[0], raw, utf16le(testSig)},
		{stale[1], "AKIAIOSFODNN7EXAMPLE", utf16le(testSig)},
		{stale[2], testAKID, []byte(testSig)},
		{stale[3], testAKID, utf16le(testSig + "\r\noauth_refresh_token=x")}, // git 2.41's wincred
		{"git:https://" + testAKID + "@" + testCC + "/v1/repos/other", testAKID, utf16le(testSig + "\r\nfoo=bar")},
		{"git:https://" + testIAM + "@" + testCC, testIAM, utf16le(testLong)},                      // long-lived
		{"git:https://" + testCC + "/v1/repos/x", testAKID, utf16le("hunter2")},                    // static
		{"git:https://github.com", testAKID, utf16le(testSig)},                                     // other host
		{"git:https://" + testCC + ".evil.example", testAKID, utf16le(testSig)},                    // lookalike
		{"git:https://x@" + testCC, raw, utf16le(testSig)},                                         // target not the user's
		{"mfa-git:session/base", testAKID, utf16le(testSig)},                                       // not git's
		{"git:https://" + testCC + "/v1/repos/upper", testAKID, utf16le(strings.ToUpper(testSig))}, // uppercase hex
	}, stale
}

func TestCleanWinCred(t *testing.T) {
	creds, stale := winCredCases()
	f := &fakeWinCred{creds: creds}
	for _, dry := range []bool{true, false} {
		removed, err := testCleaner(dry).cleanWinCred(f)
		if err != nil || len(removed) != 4 {
			t.Fatalf("dry run %v: %q %v", dry, removed, err)
		}
		if want := "Windows Credential Manager: https://" + testCC + " for " + testAKID + " (session)"; removed[0] != want {
			t.Errorf("shown as %q, want %q", removed[0], want)
		}
		noSecret(t, "the list", strings.Join(removed, "\n"))
	}
	sort.Strings(f.deleted)
	sort.Strings(stale)
	if strings.Join(f.deleted, " ") != strings.Join(stale, " ") {
		t.Fatalf("deleted %q, want %q", f.deleted, stale)
	}
}

// A delete that reports success but leaves the entry is not reported as a
// removal, and is reported as a problem.
func TestCleanWinCredDeleteLeavesEntry(t *testing.T) {
	kept := "git:https://" + testCC
	gone := "git:https://git-codecommit.eu-west-1.amazonaws.com"
	f := &fakeWinCred{
		creds: []winCred{{kept, testAKID, utf16le(testSig)}, {gone, testAKID, utf16le(testSig)}},
		keep:  map[string]bool{kept: true},
	}
	removed, err := testCleaner(false).cleanWinCred(f)
	want := "Windows Credential Manager: https://git-codecommit.eu-west-1.amazonaws.com for " + testAKID
	if len(removed) != 1 || removed[0] != want {
		t.Errorf("reported %q, want only %q", removed, want)
	}
	if err == nil || !strings.Contains(err.Error(), testCC) || !strings.Contains(err.Error(), "still there") {
		t.Errorf("the entry the delete left is not reported: %v", err)
	}
}

// An entry that changes between classification and delete (a new password
// written there) is read again right before the delete and kept.
func TestCleanWinCredChangedBeforeDelete(t *testing.T) {
	changed := "git:https://" + testCC
	gone := "git:https://git-codecommit.eu-west-1.amazonaws.com"
	f := &fakeWinCred{creds: []winCred{{changed, testAKID, utf16le(testSig)}, {gone, testAKID, utf16le(testSig)}}}
	c := cleaner{beforeDelete: func(target string) {
		if target == changed {
			f.creds[0].Blob = utf16le(testLong)
		}
	}}
	removed, err := c.cleanWinCred(f)
	if want := "Windows Credential Manager: https://git-codecommit.eu-west-1.amazonaws.com for " + testAKID; len(removed) != 1 || removed[0] != want {
		t.Errorf("reported %q, want only %q", removed, want)
	}
	if err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("the changed entry is not said to be kept: %v", err)
	}
	if len(f.deleted) != 1 || f.deleted[0] != gone {
		t.Errorf("deleted %q, want only %q", f.deleted, gone)
	}
}
