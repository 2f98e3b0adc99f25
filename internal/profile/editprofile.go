package profile

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// A profile is what the AWS tools resolve from both shared files, not
// one file's section: the credentials file's section wins for some keys
// (mergedKeys), and a config file section hides the credentials file's
// other keys once it exists (see shared.go). So an edit of one file is
// checked against the two files merged (checkResolved), before it is
// written and after: it must change exactly what it meant in the merged
// profile and nothing else. A credentials file line that would win over
// the config file's new value is refused before anything is written,
// rather than written and put back: the message names that line, and
// the user's files never hold, even for a moment, an edit that reports
// success for a value the tools do not read.

// SetProfileKeys makes profile name resolve each key = value from the
// shared files, by writing them to its config file section (prepareSet).
// When what the AWS tools would then resolve differs from that (the
// credentials file's section sets one of the keys, or the new config
// section would hide a key the credentials file gives), nothing is
// written and the error names the line that wins.
func SetProfileKeys(files Files, name string, kv [][2]string) error {
	e, err := prepareProfileSet(files, name, kv)
	if err != nil {
		return err
	}
	return e.run()
}

// prepareProfileSet is SetProfileKeys's edit, made in memory.
func prepareProfileSet(files Files, name string, kv [][2]string) (*fileEdit, error) {
	e, err := prepareSet(files.Config, ConfigSection(name), kv)
	if err != nil {
		return nil, err
	}
	set := map[string]string{}
	for _, p := range kv {
		set[p[0]] = p[1]
	}
	e.also(func(after []byte) error { return checkResolved(files, e.path, e.orig, after, name, set, nil) })
	return e, nil
}

// checkResolved compares the profiles the AWS tools resolve from files
// with the file at path holding before, and holding after. Profile name
// must resolve each key of set to its value and each key of pair, if at
// all, to its value; every other key of every profile must resolve as
// before. It returns what differs, naming the line that is read.
func checkResolved(files Files, path string, before, after []byte, name string, set, pair map[string]string) error {
	other := files.Credentials
	if path == files.Credentials {
		other = files.Config
	}
	otherData, err := os.ReadFile(other)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", other, err)
	}
	merge := func(data []byte) map[string]resolved {
		edited, _ := parseINI(path, data, nil)
		rest, _ := parseINI(other, otherData, nil)
		if path == files.Config {
			return mergeShared(edited, rest)
		}
		return mergeShared(rest, edited)
	}
	was, now := merge(before), merge(after)
	for _, p := range slices.Sorted(maps.Keys(unionKeys(was, now))) {
		b, a := was[p], now[p]
		if a.partial.key != "" && b.partial.key == "" {
			return fmt.Errorf("%s:%d: after the edit profile %q would have %s alone, a profile the AWS SDKs refuse", a.partial.at.file, a.partial.at.line, p, a.partial.key)
		}
		for _, k := range slices.Sorted(maps.Keys(unionKeys(b.keys, a.keys))) {
			bv, bok := b.keys[k]
			av, aok := a.keys[k]
			if p == name {
				if want, ok := set[k]; ok {
					if !aok || av.str != want {
						return wonBy(name, k, want, av, aok)
					}
					continue
				}
				if want, ok := pair[k]; ok {
					if aok && av.str != want {
						return fmt.Errorf("%s:%d: after the edit the AWS tools would read another %s for profile %q than the key being stored", av.file, av.line, k, name)
					}
					continue
				}
			}
			if bok != aok || bv.str != av.str || !maps.Equal(bv.nested, av.nested) {
				at := bv
				if !bok {
					at = av
				}
				return hint.New(nil, fmt.Sprintf("%s:%d: the edit would change what the AWS tools read as %s of profile %q: %s, not %s", at.file, at.line, k, p, readKeyAs(k, av, aok), readKeyAs(k, bv, bok)),
					fmt.Sprintf("the AWS tools take only some keys from the credentials file once the config file has the profile: move that line to [%s] in %s, then run the command again", ConfigSection(p), files.Config))
			}
		}
	}
	return nil
}

// wonBy is the error for key of profile name read as av (or unset)
// instead of want: another line wins over the one written.
func wonBy(name, key, want string, av iniValue, ok bool) error {
	if !ok {
		return fmt.Errorf("after the edit the AWS tools would not read %s of profile %q at all, not %q", key, name, want)
	}
	return hint.New(nil, fmt.Sprintf("%s:%d sets %s of profile %q to %q, and the AWS tools read it from there, not %q from the line mfa-git would write", av.file, av.line, key, name, av.str, want),
		fmt.Sprintf("remove or change that line of %s (the credentials file wins over the config file for %s), then run the command again", av.file, key))
}

// keyLineKeys are the keys of a long-term key's lines.
var keyLineKeys = []string{keyAccessKeyID, keySecretKey, keySessionToken}

// prepareRemoveKey removes the long-term key id, secret of profile name
// from the shared file at path (the config file when config): only the
// lines, in the sections any reader may take for the profile, that hold
// exactly those values, with their continuation lines. A line there that
// sets aws_access_key_id or aws_secret_access_key to another value
// (another key, maybe its only copy), or sets aws_session_token, is
// refused, naming it; one that sets the key's id or secret to "" holds
// nothing and goes too. A missing file is no edit (nil).
func prepareRemoveKey(files Files, path string, config bool, name, id, secret string) (*fileEdit, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lines, roles, err := splitLines(path, data)
	if err != nil {
		return nil, err
	}
	t := editTarget{section: name, profile: name, names: []string{name}}
	if config {
		t = targetOf(ConfigSection(name))
	}
	pair := map[string]string{keyAccessKeyID: id, keySecretKey: secret}
	for i, r := range roles {
		if r.kind != lineKey || !t.holds(r.section) || !slices.Contains(keyLineKeys, r.key) || r.val == "" || r.val == pair[r.key] {
			continue
		}
		if r.key == keySessionToken {
			return nil, hint.New(nil, fmt.Sprintf("%s:%d sets aws_session_token for profile %q beside its long-term key; nothing was stored or changed", path, i+1, name),
				"a long-term key has no session token: delete that line by hand, then run the command again")
		}
		return nil, hint.New(nil, fmt.Sprintf("%s:%d holds another %s for profile %q than the key being stored (%s...); removing it would lose that key, so nothing was stored or changed", path, i+1, r.key, name, id[:8]),
			"the AWS tools read only one key per profile: if that one is still needed, move it to a profile of its own; else delete it by hand; then run the command again")
	}
	out := dropLines(lines, roles, func(r lineRole) bool {
		want, ok := pair[r.key]
		return ok && t.holds(r.section) && (r.val == want || r.val == "")
	})
	gone := map[string]bool{keyAccessKeyID: true, keySecretKey: true}
	e := &fileEdit{path: path, orig: data, existed: true, out: out, check: func(after []byte) error {
		return checkEdit(path, data, after, t, nil, gone)
	}}
	e.also(func(after []byte) error { return checkResolved(files, path, data, after, name, nil, pair) })
	return e, nil
}
