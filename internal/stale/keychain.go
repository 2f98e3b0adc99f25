package stale

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	zk "github.com/zalando/go-keyring"

	"github.com/mfa-git/mfa-git/internal/macsecurity"
)

// macItem is one keychain item as dump-keychain lists it (attributes
// only; dump-keychain without -d shows no secret).
type macItem struct {
	keychain string
	class    string            // "inet" or "genp"
	attrs    map[string]string // four-letter attribute name to value
}

// MacKeychain removes stale passwords from the user's keychains through
// the security tool at the path given: internet passwords git's
// osxkeychain helper stored (server HOST, account USER), and generic
// passwords Git Credential Manager stored (service git:https://HOST,
// account USER). It lists items with dump-keychain, which shows no
// secrets, and reads the password of an item only when its host and user
// match, with find-*-password -w. Commands that name an account go to
// "security -i" on standard input, never in its arguments, since an
// account may hold a session token.
func (c cleaner) MacKeychain(security string) ([]string, error) {
	dump, err := c.runSecurity(security, "", "dump-keychain")
	if err != nil {
		return nil, fmt.Errorf("list the keychain items (security dump-keychain): %w", err)
	}
	var removed []string
	var failed []error
	items, perr := parseKeychainDump(dump)
	if perr != nil {
		// The items read before the bad line are still checked.
		failed = append(failed, fmt.Errorf("read the keychain listing (security dump-keychain): %w", perr))
	}
	for _, it := range items {
		user := it.attrs["acct"]
		var kind, store, host string
		switch it.class {
		case "inet":
			if p := it.attrs["ptcl"]; p != "htps" {
				continue
			}
			kind, store, host = "internet", "macOS keychain", it.attrs["srvr"]
		case "genp":
			kind, store, host = "generic", "macOS keychain (Git Credential Manager)", gitServiceHost(it.attrs["svce"])
		default:
			continue
		}
		if !c.candidate(host, user) {
			continue
		}
		query, err := it.query()
		if err != nil {
			failed = append(failed, fmt.Errorf("%s: %s: %w", store, ShowEntry("https", host, user), err))
			continue
		}
		stale, err := c.macStale(security, kind, query, user)
		if err != nil {
			failed = append(failed, fmt.Errorf("%s: could not read %s: %w", store, ShowEntry("https", host, user), err))
			continue
		}
		if !stale {
			continue
		}
		name := store + ": " + ShowEntry("https", host, user)
		if !c.DryRun {
			c.atBoundary(name)
			if err := c.macDelete(security, kind, query, user); err != nil {
				failed = append(failed, fmt.Errorf("%s: %w", name, err))
				continue
			}
		}
		removed = append(removed, name)
	}
	return removed, errors.Join(failed...)
}

// macStale reads the password of the item query picks out and reports
// whether it is stale.
func (c cleaner) macStale(security, kind, query, user string) (bool, error) {
	// Options before the keychain path: getopt stops at the first operand.
	out, err := c.runSecurity(security, "find-"+kind+"-password -w"+query, "-i")
	if err != nil {
		return false, err
	}
	return StalePassword(user, gitSecretPassword(macPassword(out))), nil
}

// macDelete deletes the item query picks out if a read right before shows
// it still stale (errChanged if not), and checks with a lookup after the
// delete, which shows no secret, that it is gone (errStillThere if not).
func (c cleaner) macDelete(security, kind, query, user string) error {
	stale, err := c.macStale(security, kind, query, user)
	if err != nil {
		return fmt.Errorf("could not read it again before deleting it: %w", err)
	}
	if !stale {
		return errChanged
	}
	if _, err := c.runSecurity(security, "delete-"+kind+"-password"+query, "-i"); err != nil {
		return fmt.Errorf("could not delete it: %w", err)
	}
	_, err = c.runSecurity(security, "find-"+kind+"-password"+query, "-i")
	switch {
	case errors.Is(err, zk.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("could not check that it is gone: %w", err)
	}
	return errStillThere
}

// query is the find/delete arguments that pick out the item, quoted for
// security's interactive mode.
func (it macItem) query() (string, error) {
	var args []string
	switch it.class {
	case "inet":
		args = []string{"-s", it.attrs["srvr"], "-a", it.attrs["acct"], "-r", it.attrs["ptcl"]}
		if p := it.attrs["path"]; p != "" {
			args = append(args, "-p", p)
		}
		if p := it.attrs["port"]; p != "" && p != "0" {
			args = append(args, "-P", p)
		}
	case "genp":
		args = []string{"-s", it.attrs["svce"], "-a", it.attrs["acct"]}
	}
	if it.keychain != "" {
		args = append(args, it.keychain)
	}
	var b strings.Builder
	for _, a := range args {
		if strings.ContainsAny(a, "\x00\r\n") {
			return "", errors.New("its attributes hold a line break")
		}
		b.WriteString(" " + macsecurity.Quote(a))
	}
	// security reads interactive lines of at most 4096 bytes.
	if b.Len() > 3900 {
		return "", errors.New("its account name is too long to look up")
	}
	return b.String(), nil
}

// runSecurity runs security through the runner the keychain backend uses,
// so clean has the same deadline and the same explanations of failures.
func (c cleaner) runSecurity(security, stdin string, args ...string) ([]byte, error) {
	var in []byte
	if stdin != "" {
		in = []byte(stdin + "\n")
	}
	return macsecurity.Tool{Path: security, Timeout: c.timeout()}.Run(in, "", args...)
}

// macPassword reads what find-*-password -w printed: the password and a
// newline, or, for a password with characters it does not print (git's
// helpers store "PASSWORD\npassword_expiry_utc=..."), its bytes in hex.
func macPassword(out []byte) string {
	s := strings.TrimSuffix(string(out), "\n")
	if b, err := hex.DecodeString(strings.TrimPrefix(s, "0x")); err == nil && len(b) > 0 && bytes.ContainsAny(b, "\x00\r\n") {
		return string(b)
	}
	return s
}

// parseKeychainDump reads dump-keychain's output: items start with a
// "keychain:" line, then "class:", then attribute lines such as
//
//	"srvr"<blob>="git-codecommit.us-east-1.amazonaws.com"
//	"acct"<blob>=0x414B4941...  "AKIA..."
//	"port"<uint32>=0x00000000
//	"path"<blob>=<NULL>
//
// A line it cannot read (longer than 1 MiB) ends the listing with an
// error naming the line; the items before the one it is in are returned.
func parseKeychainDump(dump []byte) ([]macItem, error) {
	var items []macItem
	var cur *macItem
	sc := bufio.NewScanner(bytes.NewReader(dump))
	sc.Buffer(make([]byte, 64*1024), maxDumpLine)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "keychain: "):
			items = append(items, macItem{keychain: unquote(strings.TrimPrefix(line, "keychain: ")), attrs: map[string]string{}})
			cur = &items[len(items)-1]
		case cur == nil:
		case strings.HasPrefix(line, "class: "):
			cur.class = unquote(strings.TrimPrefix(line, "class: "))
		default:
			name, value, ok := parseKeychainAttr(strings.TrimSpace(line))
			if ok {
				cur.attrs[name] = value
			}
		}
	}
	if err := sc.Err(); err != nil {
		if cur != nil {
			items = items[:len(items)-1] // cut short: its attributes are not all known
		}
		return items, fmt.Errorf("line %d: %w", n+1, err)
	}
	return items, nil
}

// maxDumpLine is the longest dump-keychain line read.
const maxDumpLine = 1024 * 1024

func parseKeychainAttr(s string) (name, value string, ok bool) {
	if len(s) < 7 || s[0] != '"' || s[5] != '"' || s[6] != '<' {
		return "", "", false
	}
	name = s[1:5]
	typ, v, ok := strings.Cut(s[7:], ">=")
	if !ok || v == "<NULL>" {
		return "", "", false
	}
	// A blob may follow its hex with its text: 0x414B... "AKIA...".
	if hexPart, _, _ := strings.Cut(v, " "); strings.HasPrefix(v, "0x") {
		b, err := hex.DecodeString(hexPart[2:])
		if err != nil {
			return "", "", false
		}
		if typ == "uint32" || typ == "sint32" {
			n, err := strconv.ParseUint(hexPart[2:], 16, 32)
			if err != nil {
				return "", "", false
			}
			return name, strconv.FormatUint(n, 10), true
		}
		return name, strings.TrimRight(string(b), "\x00"), true
	}
	return name, unquote(v), true
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
