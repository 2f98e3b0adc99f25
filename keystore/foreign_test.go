package keystore

import (
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/mfa-git/mfa-git/gitcred"
)

const (
	testCC    = "git-codecommit.us-east-1.amazonaws.com"
	testAKID  = "ASIAQWERTYUIOPASDFGH"
	testToken = "FwoGZXIvYXdzEJr//////////wEaDEXAMPLETOKEN+abc/def=="
	testSig   = "20240102T030405Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a"
	testIAM   = "alice-at-123456789012"
	testLong  = "Xk4bD8mW0p/Qr7+Tz2nE5vLc9yHj1aFg3sK6uI0oP8="
)

func testCleaner(dryRun bool) Cleaner {
	return Cleaner{
		Host: gitcred.IsCodeCommitHost, User: gitcred.StaleUser, Stale: gitcred.StalePassword,
		Show: gitcred.ShowEntry, DryRun: dryRun,
	}
}

// noSecret fails the test if s shows a token or password.
func noSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{testToken, testSig, testLong, "%"} {
		if strings.Contains(s, secret) {
			t.Errorf("%s shows a secret (%q):\n%s", what, secret, s)
		}
	}
}

// fakeSecurity answers like macOS's security tool from a state file of
// items, "CLASS|SERVER or SERVICE|ACCOUNT|PASSWORD": dump-keychain lists
// their attributes (printed from dump, written by the test), and "security
// -i" runs one find-/delete-*-password command from standard input. It
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
delete-*) sed -i "${n}d" "$d/items"; echo "password has been deleted." ;;
esac
`

func TestCleanMacKeychain(t *testing.T) {
	skipWithoutSh(t)
	type item struct{ class, server, acct, password string }
	items := []item{
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
	var dump, state strings.Builder
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
		fmt.Fprintf(&state, "%s|%s|%s|%s\n", it.class, it.server, it.acct, it.password)
	}
	dir := t.TempDir()
	security := filepath.Join(dir, "security")
	write := func(name, s string, mode os.FileMode) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("security", fakeSecurity, 0o755)
	write("dump", dump.String(), 0o600)
	write("items", state.String(), 0o600)
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
		} else {
			noSecret(t, "the error", err.Error())
		}
		noSecret(t, "the list", strings.Join(removed, "\n"))
		left, _ := os.ReadFile(filepath.Join(dir, "items"))
		wantLeft := state.String()
		if !dry {
			var keep []string
			for i, l := range strings.SplitAfter(state.String(), "\n") {
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
		if !strings.HasSuffix(l, ` "/Users/u/Library/Keychains/login.keychain-db"`) {
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
		t.Skip("the fake security tool is a shell script")
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
	items := parseKeychainDump([]byte(dump))
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	got := items[0]
	want := map[string]string{"acct": "AKIA", "path": "/v1/repos/app", "port": "443", "ptcl": "htps", "srvr": "git-codecommit.us-east-1.amazonaws.com"}
	if got.class != "inet" || got.keychain != "/Users/u/Library/Keychains/login.keychain-db" || fmt.Sprint(got.attrs) != fmt.Sprint(want) {
		t.Fatalf("parsed %+v", got)
	}
	q, err := got.query()
	if err != nil || q != ` "-s" "git-codecommit.us-east-1.amazonaws.com" "-a" "AKIA" "-r" "htps" "-p" "/v1/repos/app" "-P" "443" "/Users/u/Library/Keychains/login.keychain-db"` {
		t.Fatalf("query %q %v", q, err)
	}
	bad := macItem{class: "genp", attrs: map[string]string{"svce": "git:https://x", "acct": "a\nb"}}
	if _, err := bad.query(); err == nil {
		t.Fatal("an account with a line break was accepted")
	}
	quoted := macItem{class: "genp", attrs: map[string]string{"svce": `a"b\c`, "acct": "x"}}
	if q, _ := quoted.query(); q != ` "-s" "a\"b\\c" "-a" "x"` {
		t.Fatalf("quoted %q", q)
	}
}

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

type fakeWinCred struct {
	creds   []winCred
	deleted []string
}

func (f *fakeWinCred) list() ([]winCred, error) { return f.creds, nil }
func (f *fakeWinCred) deleteGeneric(target string) error {
	f.deleted = append(f.deleted, target)
	return nil
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func TestCleanWinCred(t *testing.T) {
	raw := testAKID + "%" + testToken
	stale := []string{
		"git:https://" + raw + "@" + testCC + "/v1/repos/app", // wincred
		"git:https://" + testCC,                               // GCM
		"git:https://git-codecommit.eu-west-1.amazonaws.com",  // UTF-8 blob
		"git:https://" + testAKID + "@" + testCC + "/v1/repos/refresh",
	}
	f := &fakeWinCred{creds: []winCred{
		{stale[0], raw, utf16le(testSig)},
		{stale[1], "AKIAIOSFODNN7EXAMPLE", utf16le(testSig)},
		{stale[2], testAKID, []byte(testSig)},
		{stale[3], testAKID, utf16le(testSig + "\r\noauth_refresh_token=x")}, // git 2.41's wincred
		{"git:https://" + testAKID + "@" + testCC + "/v1/repos/other", testAKID, utf16le(testSig + "\r\nfoo=bar")},
		{"git:https://" + testIAM + "@" + testCC, testIAM, utf16le(testLong)},   // long-lived
		{"git:https://" + testCC + "/v1/repos/x", testAKID, utf16le("hunter2")}, // static
		{"git:https://github.com", testAKID, utf16le(testSig)},                  // other host
		{"git:https://" + testCC + ".evil.example", testAKID, utf16le(testSig)}, // lookalike
		{"git:https://x@" + testCC, raw, utf16le(testSig)},                      // target not the user's
		{"mfa-git:session/base", testAKID, utf16le(testSig)},                    // not git's
		{"git:https://" + testCC, testAKID, utf16le(strings.ToUpper(testSig))},  // uppercase hex
	}}
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

// Items of git's libsecret helper and of Git Credential Manager in a real
// Secret Service: only the stale CodeCommit passwords are removed.
func TestCleanLibsecret(t *testing.T) {
	requireSecretService(t)
	tool, err := exec.LookPath("secret-tool")
	if err != nil {
		t.Skip("secret-tool is not installed")
	}
	tag := fmt.Sprintf("%d-%s", os.Getpid(), t.Name())
	store := func(secret string, attrs ...string) []string {
		t.Helper()
		attrs = append(attrs, "mfa-git-test", tag)
		cmd := exec.Command(tool, append([]string{"store", "--label=test"}, attrs...)...)
		cmd.Stdin = strings.NewReader(secret)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("secret-tool store: %v %s", err, out)
		}
		return attrs
	}
	present := func(attrs []string) bool {
		return exec.Command(tool, append([]string{"lookup"}, attrs...)...).Run() == nil
	}
	defer exec.Command(tool, "clear", "mfa-git-test", tag).Run()
	git := func(server, user string) []string {
		return []string{"xdg:schema", "org.git.Password", "protocol", "https", "server", server, "user", user}
	}
	gcm := func(service, account string) []string {
		return []string{"xdg:schema", "com.microsoft.GitCredentialManager", "service", service, "account", account}
	}
	raw := testAKID + "%" + testToken
	stale := [][]string{
		store(testSig, git(testCC, raw)...),
		store(testSig, git("git-codecommit.eu-west-3.amazonaws.com", "AKIAIOSFODNN7EXAMPLE")...),
		store(testSig, gcm("git:https://"+testCC, raw)...),
		store(testSig, gcm("git:https://git-codecommit.eu-west-3.amazonaws.com/v1/repos/app", testAKID)...),
		// git 2.43's libsecret keeps the expiry in the secret.
		store(testSig+"\npassword_expiry_utc=1700000000", git("git-codecommit.ap-south-1.amazonaws.com", testAKID)...),
	}
	kept := [][]string{
		store(testLong, git(testCC, testIAM)...),
		store(testLong, gcm("git:https://"+testCC, testIAM)...),
		store("hunter2", git(testCC, testAKID)...),
		store(testSig, git("github.com", testAKID)...),
		store(testSig, git(testCC+".evil.example", testAKID)...),
		store(testSig, gcm("git:https://github.com", testAKID)...),
		store(testSig, gcm("https://"+testCC, testAKID)...),
		store(testSig+"\nunknown=1", git(testCC, "AKIAIOSFODNN7EXAMPLE")...),
		store(strings.ToUpper(testSig), gcm("git:https://"+testCC, "AKIAIOSFODNN7EXAMPLE")...),
	}
	for _, dry := range []bool{true, false} {
		removed, err := testCleaner(dry).Libsecret()
		if err != nil {
			t.Fatal(err)
		}
		var ours []string
		for _, r := range removed {
			noSecret(t, "the list", r)
			ours = append(ours, r)
		}
		sort.Strings(ours)
		want := []string{
			"Secret Service (Git Credential Manager): https://git-codecommit.eu-west-3.amazonaws.com for " + testAKID,
			"Secret Service (Git Credential Manager): https://" + testCC + " for " + testAKID + " (session)",
			"Secret Service (git libsecret): https://git-codecommit.ap-south-1.amazonaws.com for " + testAKID,
			"Secret Service (git libsecret): https://git-codecommit.eu-west-3.amazonaws.com for AKIAIOSFODNN7EXAMPLE",
			"Secret Service (git libsecret): https://" + testCC + " for " + testAKID + " (session)",
		}
		if strings.Join(ours, "\n") != strings.Join(want, "\n") {
			t.Fatalf("dry run %v: removed\n%s\nwant\n%s", dry, strings.Join(ours, "\n"), strings.Join(want, "\n"))
		}
		for i, a := range stale {
			if present(a) != dry {
				t.Errorf("dry run %v: stale item %d present %v", dry, i, !dry)
			}
		}
		for i, a := range kept {
			if !present(a) {
				t.Errorf("dry run %v: kept item %d was removed", dry, i)
			}
		}
	}
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
	if items := parseKeychainDump([]byte("garbage\nclass: \"inet\"\n    \"srvr\"<blob>=\"x\"\n")); len(items) != 0 {
		t.Errorf("items outside any keychain: %+v", items)
	}
}

// A stale item in a locked keyring is kept and reported, and clean asks
// for no unlock prompt.
func TestCleanLibsecretLocked(t *testing.T) {
	requireSecretService(t)
	pw := os.Getenv("MFA_GIT_TEST_KEYRING_PASSWORD")
	if pw == "" {
		t.Skip("MFA_GIT_TEST_KEYRING_PASSWORD (set by test.sh) is needed to unlock the keyring again")
	}
	tag := fmt.Sprintf("%d-%s", os.Getpid(), t.Name())
	attrs := []string{"xdg:schema", "org.git.Password", "protocol", "https", "server", testCC, "user", testAKID, "mfa-git-test", tag}
	store := exec.Command("secret-tool", append([]string{"store", "--label=test"}, attrs...)...)
	store.Stdin = strings.NewReader(testSig)
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v %s", err, out)
	}
	defer exec.Command("secret-tool", "clear", "mfa-git-test", tag).Run()
	lock := exec.Command("dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets",
		"org.freedesktop.Secret.Service.Lock", "array:objpath:/org/freedesktop/secrets/collection/login")
	if out, err := lock.CombinedOutput(); err != nil {
		t.Skipf("cannot lock the login keyring: %v %s", err, out)
	}
	defer func() {
		unlock := exec.Command("gnome-keyring-daemon", "--unlock", "--components=secrets")
		unlock.Stdin = strings.NewReader(pw + "\n")
		unlock.Run()
	}()
	removed, err := testCleaner(false).Libsecret()
	if len(removed) != 0 || err == nil || !strings.Contains(err.Error(), "1 CodeCommit item(s) in a locked keyring") {
		t.Fatalf("locked: removed %q, %v", removed, err)
	}
	// Attributes can be searched while the collection is locked.
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var unlocked, locked []dbus.ObjectPath
	if err := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").Call("org.freedesktop.Secret.Service.SearchItems", 0,
		map[string]string{"mfa-git-test": tag}).Store(&unlocked, &locked); err != nil {
		t.Fatal(err)
	}
	if len(unlocked)+len(locked) != 1 {
		t.Fatalf("the item in the locked keyring is gone: %v %v", unlocked, locked)
	}
}

func TestGitSecretPassword(t *testing.T) {
	for _, c := range []struct{ secret, want string }{
		{testSig, testSig},
		{testSig + "\npassword_expiry_utc=1700000000", testSig},
		{testSig + "\npassword_expiry_utc=1700000000\noauth_refresh_token=abc", testSig},
		{testSig + "\r\noauth_refresh_token=abc", testSig},
		{testSig + "\n", ""},
		{testSig + "\nfoo=bar", ""},
		{testSig + "\npassword_expiry_utc", ""},
		{"", ""},
	} {
		if got := gitSecretPassword(c.secret); got != c.want {
			t.Errorf("gitSecretPassword(%q) = %q, want %q", c.secret, got, c.want)
		}
	}
}
