package profile

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/mfa-git/mfa-git/internal/atomicfile"
	"github.com/mfa-git/mfa-git/internal/hint"
)

// fileEdit is an edit of one shared file, made in memory: the file's
// bytes before (orig; existed says the file was there) and after (out),
// and check, which says what is wrong with a content of the file after
// the edit (nil when it is what the edit meant). check runs on out before
// anything is written, and on the file read again after.
type fileEdit struct {
	path      string
	orig, out []byte
	existed   bool
	check     func(after []byte) error
}

// changes reports whether the edit changes the file.
func (e *fileEdit) changes() bool { return !e.existed || !bytes.Equal(e.orig, e.out) }

// also adds more to check.
func (e *fileEdit) also(more func(after []byte) error) {
	first := e.check
	e.check = func(after []byte) error {
		if err := first(after); err != nil {
			return err
		}
		return more(after)
	}
}

// precheck refuses, before anything is written, an edit whose result
// would not be what it meant, or of a file with other hard links (its
// other names would keep the old bytes).
func (e *fileEdit) precheck() error {
	if e.existed && e.changes() {
		if err := atomicfile.CheckLinks(e.path); err != nil {
			return unchanged(err)
		}
	}
	if err := e.check(e.out); err != nil {
		return unchanged(err)
	}
	return nil
}

// unchanged is err for an edit refused before anything was written.
func unchanged(err error) error {
	return hint.New(err, fmt.Sprintf("%v; nothing was changed", err), cmp.Or(hint.Of(err), "make the edit by hand, or fix the line named above and run the command again"))
}

// run checks the edit (precheck), then writes it.
func (e *fileEdit) run() error {
	if err := e.precheck(); err != nil {
		return err
	}
	return e.write()
}

// write writes out to the file, reads the file again from disk and
// checks it. If check fails, the original bytes are written back (a file
// that did not exist is removed) and the error names the file and line.
// An edit that changes nothing writes nothing.
func (e *fileEdit) write() error {
	if !e.changes() {
		return nil
	}
	if err := atomicfile.Write(e.path, e.out, 0o600); err != nil {
		var linked *atomicfile.LinkedError
		if errors.As(err, &linked) {
			return unchanged(err)
		}
		return err
	}
	var bad error
	if data, err := os.ReadFile(e.path); err != nil {
		bad = fmt.Errorf("%s: read again after the edit: %w", e.path, err)
	} else {
		bad = e.check(data)
	}
	if bad == nil {
		return nil
	}
	var rerr error
	if e.existed {
		rerr = atomicfile.Write(e.path, e.orig, 0o600)
	} else {
		rerr = os.Remove(e.path)
	}
	if rerr != nil {
		return hint.New(bad, fmt.Sprintf("%v, and putting the file back failed: %v", bad, rerr),
			"check "+e.path+" by hand: it may hold the edit above")
	}
	return hint.New(bad, fmt.Sprintf("%v; %s was put back as it was", bad, e.path),
		cmp.Or(hint.Of(bad), "nothing was changed; make the edit by hand, or fix the line named above and run the command again"))
}

// checkEdit compares after, the file at path after an edit, with orig:
// the target's keys in set with exactly those values, those in gone
// nowhere in the target's sections, and every other section and key of
// the file as it was. It returns what differs, as "FILE:LINE: ...".
func checkEdit(path string, orig, after []byte, t editTarget, set map[string]string, gone map[string]bool) error {
	var roles []lineRole
	now, err := parseINI(path, after, &roles)
	if err != nil {
		return fmt.Errorf("%s: after the edit, %v", path, err)
	}
	before, _ := parseINI(path, orig, nil)
	// What the reader resolves for the profile.
	var got *iniSection
	if t.config {
		got = configProfiles(now)[t.profile]
	} else if !strings.HasPrefix(t.profile, prefixProfile) {
		got = now[t.profile]
	}
	if got == nil {
		got = &iniSection{}
	}
	for _, k := range slices.Sorted(maps.Keys(set)) {
		if v, ok := got.keys[k]; !ok || v.str != set[k] {
			return fmt.Errorf("%s:%d: after the edit the AWS SDKs read %s of profile %q as %s, not %q", path, lineOf(roles, t, k, v), k, t.profile, readKeyAs(k, v, ok), set[k])
		}
	}
	for _, name := range t.names {
		for k := range gone {
			if v, ok := now[name].keyValue(k); ok {
				return fmt.Errorf("%s:%d: after the edit [%s] still has %s", path, v.line, name, k)
			}
		}
	}
	// Everything else as it was.
	for _, name := range slices.Sorted(maps.Keys(unionKeys(before, now))) {
		b, a := before[name], now[name]
		if (b == nil) != (a == nil) && !t.holds(name) {
			return fmt.Errorf("%s: the edit would add or remove the section [%s]", path, name)
		}
		for _, k := range slices.Sorted(maps.Keys(unionKeys(b.keyMap(), a.keyMap()))) {
			if t.holds(name) && (gone[k] || hasKey(set, k)) {
				continue
			}
			bv, bok := b.keyValue(k)
			av, aok := a.keyValue(k)
			if bok != aok || bv.str != av.str || !maps.Equal(bv.nested, av.nested) {
				line := av.line
				if !aok {
					line = bv.line
				}
				return fmt.Errorf("%s:%d: the edit would change %s in [%s], which it was not meant to touch", path, line, k, name)
			}
		}
	}
	return nil
}

// readAs says how a value was read, for checkEdit's message.
func readAs(v iniValue, ok bool) string {
	if !ok {
		return "unset"
	}
	return fmt.Sprintf("%q", v.str)
}

// readKeyAs is readAs for key, which never shows a secret key's or a
// session token's value: messages are printed and pasted into reports.
func readKeyAs(key string, v iniValue, ok bool) string {
	if ok && (key == "aws_secret_access_key" || key == "aws_session_token") {
		return "set (value not shown)"
	}
	return readAs(v, ok)
}

// lineOf is the line a key of t was read from, or written to: v's line
// when the reader took it, else the last line of t's sections that sets
// key, else the last header of t's sections (1 when none).
func lineOf(roles []lineRole, t editTarget, key string, v iniValue) int {
	if v.line > 0 {
		return v.line
	}
	line := 1
	for i, r := range roles {
		if t.holds(r.section) && (r.kind == lineHeader || r.kind == lineKey && r.key == key) {
			line = i + 1
		}
	}
	return line
}

// keyValue is s's key, for a section that may be nil.
func (s *iniSection) keyValue(key string) (iniValue, bool) {
	if s == nil {
		return iniValue{}, false
	}
	v, ok := s.keys[key]
	return v, ok
}

// keyMap is s's keys, for a section that may be nil.
func (s *iniSection) keyMap() map[string]iniValue {
	if s == nil {
		return nil
	}
	return s.keys
}

// unionKeys is the set of keys of a and b.
func unionKeys[V any](a, b map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// hasKey reports whether m has key.
func hasKey(m map[string]string, key string) bool {
	_, ok := m[key]
	return ok
}
