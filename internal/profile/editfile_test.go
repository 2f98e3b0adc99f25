package profile

import (
	"os"
	"strings"
)

// setKeys makes the edit prepareSet describes and writes it: the one-file
// edit, checked by that file's rules only, that the tests of the line
// editing use. The product edits through SetProfileKeys and MoveKeys,
// which add the check against both files.
func setKeys(path, section string, kv [][2]string) error {
	e, err := prepareSet(path, section, kv)
	if err != nil {
		return err
	}
	return e.run()
}

// dropKeys deletes the given keys by name from every copy of the profile
// that section names in the file at path (each line the reader takes as
// one of them, with its continuation and sub-property lines), checked by
// that file's rules: the line removal the tests exercise. The product
// removes only the lines holding the stored key (prepareRemoveKey).
func dropKeys(path, section string, keys ...string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines, roles, err := splitLines(path, data)
	if err != nil {
		return err
	}
	t := targetOf(section)
	drop := map[string]bool{}
	for _, k := range keys {
		drop[strings.ToLower(k)] = true
	}
	e := &fileEdit{path: path, orig: data, existed: true, out: dropLines(lines, roles, func(r lineRole) bool { return t.holds(r.section) && drop[r.key] }),
		check: func(after []byte) error { return checkEdit(path, data, after, t, nil, drop) }}
	return e.run()
}
