package stale

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fakeSecurity answers like macOS's security tool from a state file of
// items, "CLASS|SERVER or SERVICE|ACCOUNT|PASSWORD": dump-keychain lists
// their attributes (printed from dump, written by the test), and "security
// -i" runs one find-/delete-*-password command from standard input. A
// delete of an item listed in keep says it is done and keeps the item. It
// records its arguments and its standard input.
const fakeSecurity = `#!/bin/sh
d="$(dirname "$0")"
printf '%s\n' "$*" >> "$d/argv"
case "$1" in
dump-keychain) cat "$d/dump"; exit 0 ;;
-i) ;;
*) echo "security: unexpected call" >&2; exit 2 ;;
esac
IFS= read -r line
printf '%s\n' "$line" >> "$d/stdin"
eval "set -- $line"
cmd=$1; shift
srv= acct= w=
while [ $# -gt 0 ]; do
	case "$1" in
	-s) srv=$2; shift 2 ;;
	-a) acct=$2; shift 2 ;;
	-r|-p|-P) shift 2 ;;
	-w) w=1; shift ;;
	*) shift ;;
	esac
done
case "$cmd" in
find-internet-password|delete-internet-password) class=inet ;;
*) class=genp ;;
esac
n=$(awk -F'|' -v c="$class" -v s="$srv" -v a="$acct" '$1==c && $2==s && $3==a {print NR; exit}' "$d/items")
if [ -z "$n" ] || grep -q -F -x -- "$class|$srv|$acct" "$d/deny" 2>/dev/null; then
	echo "security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain." >&2
	echo "$cmd: returned 44" >&2
	exit 0
fi
case "$cmd" in
find-*) sed -n "${n}p" "$d/items" | cut -d'|' -f4- ;;
delete-*) grep -q -F -x -- "$class|$srv|$acct" "$d/keep" 2>/dev/null || sed -i "${n}d" "$d/items"; echo "password has been deleted." ;;
esac
`

// fakeItem is one item of the fake keychain.
type fakeItem struct{ class, server, acct, password string }

// writeFakeKeychain makes a folder with fakeSecurity and its dump and
// state files for items, and returns it, the tool's path and the state.
func writeFakeKeychain(t *testing.T, items []fakeItem) (dir, security, state string) {
	t.Helper()
	skipWithoutSh(t)
	var dump, st strings.Builder
	for _, it := range items {
		fmt.Fprintf(&dump, "keychain: \"/Users/u/Library/Keychains/login.keychain-db\"\nversion: 512\nclass: %q\nattributes:\n", it.class)
		fmt.Fprintf(&dump, "    0x00000007 <blob>=%q\n", it.server)
		// security shows a value with special characters in hex too.
		fmt.Fprintf(&dump, "    \"acct\"<blob>=0x%X  %q\n", it.acct, it.acct)
		fmt.Fprintf(&dump, "    \"cdat\"<timedate>=0x32303234303130323033303430355A00  \"20240102030405Z\\000\"\n")
		if it.class == "inet" {
			fmt.Fprintf(&dump, "    \"path\"<blob>=<NULL>\n    \"port\"<uint32>=0x00000000\n    \"ptcl\"<uint32>=\"htps\"\n    \"srvr\"<blob>=%q\n", it.server)
		} else {
			fmt.Fprintf(&dump, "    \"svce\"<blob>=%q\n", it.server)
		}
		fmt.Fprintf(&st, "%s|%s|%s|%s\n", it.class, it.server, it.acct, it.password)
	}
	dir = t.TempDir()
	security = filepath.Join(dir, "security")
	for name, s := range map[string]string{"security": fakeSecurity, "dump": dump.String(), "items": st.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return dir, security, st.String()
}

func TestCleanMacKeychain(t *testing.T) {
	items := []fakeItem{
		{"inet", testCC, testAKID + "%" + testToken, testSig},                               // stale, session: removed
		{"inet", "git-codecommit.eu-west-1.amazonaws.com", "AKIAIOSFODNN7EXAMPLE", testSig}, // stale, long-term key: removed
		{"inet", testCC, testIAM, testLong},                                                 // IAM Git credentials: kept
		{"inet", testCC, "AKIAIOSFODNN7EXAMPLE", "not-a-signature"},                         // kept
		{"inet", "github.com", testAKID, testSig},                                           // other host: kept
		{"inet", testCC + ".evil.example", testAKID, testSig},                               // lookalike: kept
		{"genp", "git:https://" + testCC, testAKID + "%" + testToken, testSig},              // GCM, stale: removed
		{"genp", "git:https://" + testCC + "/v1/repos/app", testIAM, testLong},              // GCM, long-lived: kept
		{"genp", "git:https://github.com", testAKID, testSig},                               // GCM, other host: kept
		{"genp", "mfa-git", testAKID, testSig},                                              // not git's: kept
		{"genp", "git:https://git-codecommit.us-west-2.amazonaws.com", testAKID, testSig},   // access denied: kept, reported
		// git 2.45's osxkeychain keeps "PASSWORD\npassword_expiry_utc=N",
		// which security -w prints in hex.
		{"inet", "git-codecommit.ap-south-1.amazonaws.com", testAKID, hex.EncodeToString([]byte(testSig + "\npassword_expiry_utc=1700000000\noauth_refresh_token=x"))},
		{"inet", "git-codecommit.ap-south-1.amazonaws.com", "AKIAIOSFODNN7EXAMPLE", hex.EncodeToString([]byte(testSig + "\nsomething=else"))},
	}
	dir, security, state := writeFakeKeychain(t, items)
	write := func(name, s string, mode os.FileMode) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("deny", "genp|git:https://git-codecommit.us-west-2.amazonaws.com|"+testAKID+"\n", 0o600)

	want := []string{
		"macOS keychain: https://" + testCC + " for " + testAKID + " (session)",
		"macOS keychain: https://git-codecommit.eu-west-1.amazonaws.com for AKIAIOSFODNN7EXAMPLE",
		"macOS keychain (Git Credential Manager): https://" + testCC + " for " + testAKID + " (session)",
		"macOS keychain: https://git-codecommit.ap-south-1.amazonaws.com for " + testAKID,
	}
	for _, dry := range []bool{true, false} {
		removed, err := testCleaner(dry).MacKeychain(security)
		if strings.Join(removed, "\n") != strings.Join(want, "\n") {
			t.Fatalf("dry run %v: removed\n%s\nwant\n%s", dry, strings.Join(removed, "\n"), strings.Join(want, "\n"))
		}
		if err == nil || !strings.Contains(err.Error(), "us-west-2") {
			t.Errorf("dry run %v: the entry security refused to show is not reported: %v", dry, err)
		} else if strings.Contains(err.Error(), `keychain item ""`) {
			// security -i names no item in its arguments.
			t.Errorf("dry run %v: the error names an empty keychain item: %v", dry, err)
		} else {
			noSecret(t, "the error", err.Error())
		}
		noSecret(t, "the list", strings.Join(removed, "\n"))
		left, _ := os.ReadFile(filepath.Join(dir, "items"))
		wantLeft := state
		if !dry {
			var keep []string
			for i, l := range strings.SplitAfter(state, "\n") {
				if i != 0 && i != 1 && i != 6 && i != 11 {
					keep = append(keep, l)
				}
			}
			wantLeft = strings.Join(keep, "")
		}
		if string(left) != wantLeft {
			t.Fatalf("dry run %v: items left\n%s\nwant\n%s", dry, left, wantLeft)
		}
	}
	argv, _ := os.ReadFile(filepath.Join(dir, "argv"))
	for _, l := range strings.Split(strings.TrimSpace(string(argv)), "\n") {
		if l != "dump-keychain" && l != "-i" {
			t.Errorf("security ran with arguments %q: only dump-keychain and -i are expected", l)
		}
	}
	noSecret(t, "security's arguments", string(argv))
	stdin, _ := os.ReadFile(filepath.Join(dir, "stdin"))
	for _, l := range strings.Split(strings.TrimSpace(string(stdin)), "\n") {
		// getopt stops at the keychain path, the only operand, so it is last.
		if !strings.HasSuffix(l, " /Users/u/Library/Keychains/login.keychain-db") {
			t.Errorf("the keychain is not the last argument: %s", l)
		}
	}
	if strings.Contains(string(stdin), "github.com") || strings.Contains(string(stdin), "evil") || strings.Contains(string(stdin), testIAM) {
		t.Errorf("read passwords it did not need:\n%s", stdin)
	}
	if strings.Contains(string(stdin), testSig) {
		t.Errorf("a password went to security:\n%s", stdin)
	}
}

func skipWithoutSh(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("macOS-only code, tested through a fake security tool that is a shell script")
	}
}

func TestParseKeychainDump(t *testing.T) {
	dump := `keychain: "/Users/u/Library/Keychains/login.keychain-db"
version: 512
class: "inet"
attributes:
    0x00000007 <blob>="git-codecommit.us-east-1.amazonaws.com"
    "acct"<blob>=0x414B4941  "AKIA"
    "path"<blob>="/v1/repos/app"
    "port"<uint32>=0x000001BB
    "ptcl"<uint32>="htps"
    "sdmn"<blob>=<NULL>
    "srvr"<blob>="git-codecommit.us-east-1.amazonaws.com"
keychain: "/Library/Keychains/System.keychain"
class: 0x80001000
attributes:
    "labl"<blob>="x"
`
	items, err := parseKeychainDump([]byte(dump))
	if err != nil || len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	got := items[0]
	want := map[string]string{"acct": "AKIA", "path": "/v1/repos/app", "port": "443", "ptcl": "htps", "srvr": "git-codecommit.us-east-1.amazonaws.com"}
	if got.class != "inet" || got.keychain != "/Users/u/Library/Keychains/login.keychain-db" || fmt.Sprint(got.attrs) != fmt.Sprint(want) {
		t.Fatalf("parsed %+v", got)
	}
	q, err := got.query()
	if err != nil || q != ` -s git-codecommit.us-east-1.amazonaws.com -a AKIA -r htps -p /v1/repos/app -P 443 /Users/u/Library/Keychains/login.keychain-db` {
		t.Fatalf("query %q %v", q, err)
	}
	bad := macItem{class: "genp", attrs: map[string]string{"svce": "git:https://x", "acct": "a\nb"}}
	if _, err := bad.query(); err == nil {
		t.Fatal("an account with a line break was accepted")
	}
	quoted := macItem{class: "genp", attrs: map[string]string{"svce": `a"b\c`, "acct": "x"}}
	if q, _ := quoted.query(); q != ` -s "a\"b\\c" -a x` {
		t.Fatalf("quoted %q", q)
	}
}

// An item is read again right before its delete and kept if it changed
// since it was found stale; a delete that says it is done but leaves the
// item is not reported as a removal.
func TestCleanMacKeychainRecheck(t *testing.T) {
	const other, third = "git-codecommit.eu-west-1.amazonaws.com", "git-codecommit.eu-west-3.amazonaws.com"
	dir, security, _ := writeFakeKeychain(t, []fakeItem{
		{"inet", testCC, testAKID, testSig},                 // changed before the delete: kept
		{"inet", other, testAKID, testSig},                  // removed
		{"genp", "git:https://" + third, testAKID, testSig}, // the delete leaves it
	})
	if err := os.WriteFile(filepath.Join(dir, "keep"), []byte("genp|git:https://"+third+"|"+testAKID+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	changed := "macOS keychain: https://" + testCC + " for " + testAKID
	c := cleaner{beforeDelete: func(entry string) {
		if entry != changed {
			return
		}
		// Another program stores a password that is not a SigV4 one.
		items := filepath.Join(dir, "items")
		if err := os.WriteFile(items, []byte(strings.Replace(mustRead(t, items), testCC+"|"+testAKID+"|"+testSig, testCC+"|"+testAKID+"|"+testLong, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
	}}
	removed, err := c.MacKeychain(security)
	if want := "macOS keychain: https://" + other + " for " + testAKID; len(removed) != 1 || removed[0] != want {
		t.Errorf("reported %q, want only %q", removed, want)
	}
	if err == nil || !strings.Contains(err.Error(), testCC+" for "+testAKID+": it changed") || !strings.Contains(err.Error(), third+" for "+testAKID+": it is still there") {
		t.Errorf("the changed item and the one the delete left are not both reported: %v", err)
	}
	if left := mustRead(t, filepath.Join(dir, "items")); !strings.Contains(left, testLong) || strings.Contains(left, other) {
		t.Errorf("items left:\n%s", left)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A security tool that hangs costs the cleaner its deadline, not forever.
func TestCleanMacKeychainDeadline(t *testing.T) {
	skipWithoutSh(t)
	dir := t.TempDir()
	security := filepath.Join(dir, "security")
	if err := os.WriteFile(security, []byte("#!/bin/sh\nsleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	c := testCleaner(true)
	c.Timeout = 300 * time.Millisecond
	start := time.Now()
	removed, err := c.MacKeychain(security)
	if err == nil || !strings.Contains(err.Error(), "did not answer within 300ms") || len(removed) != 0 {
		t.Fatalf("got %q, %v", removed, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %s", d)
	}
}

func TestParseKeychainAttrBadInput(t *testing.T) {
	for _, s := range []string{``, `"acct"`, `"acct"<blob>`, `"acct"<blob>=0xZZ  "x"`, `"port"<uint32>=0x1FFFFFFFFF`, `acct<blob>="x"`, `"ac"<blob>="x"`, `"acct"<blob>=<NULL>`} {
		if name, v, ok := parseKeychainAttr(s); ok {
			t.Errorf("parseKeychainAttr(%q) = %q, %q, true", s, name, v)
		}
	}
	if items, _ := parseKeychainDump([]byte("garbage\nclass: \"inet\"\n    \"srvr\"<blob>=\"x\"\n")); len(items) != 0 {
		t.Errorf("items outside any keychain: %+v", items)
	}
}
