package gitconfig

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// setupRecord is what Configure did to one config file, kept so that
// Unconfigure can undo exactly that.
type setupRecord struct {
	// After is a digest of the file as Configure left it.
	After string `json:"after_sha256"`
	// Added is the text appended at the end of the file: a line end when
	// the file had no final one, then one block per pattern.
	Added string `json:"added"`
	// Blocks are those blocks, each on its own, for a file edited since,
	// and Patterns their URL patterns.
	Blocks   []string `json:"blocks"`
	Patterns []string `json:"patterns"`
	// Removed are the user's lines Configure took out, in file order.
	Removed []removedLine `json:"removed,omitempty"`
	// Created is set when the file did not exist before Configure.
	Created bool `json:"created,omitempty"`
}

// removedLine is a user's helper or useHttpPath line Configure removed.
type removedLine struct {
	// Offset is where it started in the file before Configure.
	Offset int `json:"offset"`
	// Text is the line, its line end included.
	Text string `json:"text"`
	// Header is the text of its section's header line, and Prev the
	// line before it (the header itself when it came first): where to
	// put it back in a file edited since.
	Header string `json:"header"`
	Prev   string `json:"prev"`
}

// entriesBesides returns the entries rec configured for patterns that
// are not in entries, with the helpers they had.
func (rec *setupRecord) entriesBesides(entries []Entry) []Entry {
	var out []Entry
	for i, p := range rec.Patterns {
		if i >= len(rec.Blocks) || slices.ContainsFunc(entries, func(e Entry) bool { return e.Pattern == p }) {
			continue
		}
		lines, err := parseGitConfig([]byte(rec.Blocks[i]))
		if err != nil {
			continue
		}
		helper := ""
		for _, l := range lines {
			if l.key == "helper" {
				helper = l.value
			}
		}
		if helper != "" {
			out = append(out, Entry{p, helper})
		}
	}
	return out
}

// entryLines are the exact lines Configure writes for e, header first.
func entryLines(e Entry, nl string) []string {
	return []string{
		headerLine("credential", e.Pattern) + nl,
		"\thelper =" + nl,
		"\thelper = " + quoteValue(e.Helper) + nl,
		"\tuseHttpPath = true" + nl,
	}
}

// lineEnd is the line end the file uses: CRLF when its first line ends so.
func lineEnd(data string) string {
	if i := strings.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// touched reports whether l is a line Configure takes out: a helper or
// useHttpPath in the section of one of the patterns.
func touched(l cfgLine, patterns map[string]bool) bool {
	if l.key != "helper" && l.key != "usehttppath" {
		return false
	}
	name, sub, ok := strings.Cut(l.section, "\x00")
	return ok && name == "credential" && patterns[sub]
}

// applySetup returns data with every helper and useHttpPath line in the
// sections of entries' patterns taken out and one block per entry
// appended, and the record that undoes it.
func applySetup(data string, entries []Entry) (string, *setupRecord, error) {
	lines, err := parseGitConfig([]byte(data))
	if err != nil {
		return "", nil, err
	}
	patterns := map[string]bool{}
	for _, e := range entries {
		patterns[e.Pattern] = true
	}
	rec := &setupRecord{}
	var out strings.Builder
	header, prev := "", ""
	for _, l := range lines {
		text := data[l.start:l.end]
		if l.header {
			header = text
		}
		switch {
		case !touched(l, patterns):
			out.WriteString(text)
		case l.keyOnHeader:
			return "", nil, &configSyntaxError{strings.Count(data[:l.start], "\n") + 1, "a helper or useHttpPath on its section's header line; move it to a line of its own"}
		default:
			rec.Removed = append(rec.Removed, removedLine{Offset: l.start, Text: text, Header: header, Prev: prev})
		}
		prev = text
	}
	nl := lineEnd(data)
	kept := out.String()
	var added strings.Builder
	if kept != "" && !strings.HasSuffix(kept, "\n") {
		added.WriteString(nl)
	}
	for _, e := range entries {
		block := strings.Join(entryLines(e, nl), "")
		rec.Blocks = append(rec.Blocks, block)
		rec.Patterns = append(rec.Patterns, e.Pattern)
		added.WriteString(block)
	}
	rec.Added = added.String()
	return kept + rec.Added, rec, nil
}

// legacySections finds the credential sections an older mfa-git setup
// wrote through git config: their helpers, across all sections of the
// same name, are exactly "" then mfa-git.
func legacySections(lines []cfgLine) map[string]bool {
	helpers := map[string][]string{}
	for _, l := range lines {
		if l.key == "helper" && strings.HasPrefix(l.section, "credential\x00") {
			helpers[l.section] = append(helpers[l.section], l.value)
		}
	}
	out := map[string]bool{}
	for s, h := range helpers {
		if isOurs(h) {
			out[s] = true
		}
	}
	return out
}

// undoLegacy removes what an mfa-git setup from before setup records
// wrote: the helper and useHttpPath lines of every credential section
// whose helpers are exactly "" then mfa-git, and the header of such a
// section when nothing else is in it. It returns the patterns it cleared.
func undoLegacy(data string) (string, []string, error) {
	lines, err := parseGitConfig([]byte(data))
	if err != nil {
		return data, nil, err
	}
	legacy := legacySections(lines)
	var cleared []string
	seen := map[string]bool{}
	out := editSections(data, lines, func(h cfgLine) bool { return legacy[h.section] }, func(sec []cfgLine) string {
		h := sec[0]
		if !seen[h.section] {
			seen[h.section] = true
			cleared = append(cleared, strings.SplitN(h.section, "\x00", 2)[1])
		}
		var rest strings.Builder
		for _, l := range sec[1:] {
			if l.key != "helper" && l.key != "usehttppath" {
				rest.WriteString(data[l.start:l.end])
			}
		}
		if rest.Len() > 0 || h.keyOnHeader {
			return data[h.start:h.end] + rest.String()
		}
		return rest.String()
	})
	return out, cleared, nil
}

// editSections returns data with each section whose header line pick
// accepts replaced by what edit makes of it: its lines, the header first,
// up to the next header.
func editSections(data string, lines []cfgLine, pick func(header cfgLine) bool, edit func(section []cfgLine) string) string {
	var out strings.Builder
	for i := 0; i < len(lines); i++ {
		if !lines[i].header || !pick(lines[i]) {
			out.WriteString(data[lines[i].start:lines[i].end])
			continue
		}
		j := i + 1
		for j < len(lines) && !lines[j].header {
			j++
		}
		out.WriteString(edit(lines[i:j]))
		i = j - 1
	}
	return out.String()
}

// isOurs reports whether a section's helpers are the pair setup writes.
func isOurs(helpers []string) bool {
	return len(helpers) == 2 && helpers[0] == "" && (helpers[1] == "mfa-git" || strings.HasPrefix(helpers[1], "mfa-git "))
}

// undoSetup removes from data, the text of the file at path, what rec
// says Configure added and puts back the lines it took out. When data is
// as Configure left it, the result is the file before Configure, byte for
// byte. Otherwise it removes only mfa-git's lines and puts back each user
// line after the line it followed, and notes lists what it could not do,
// each after "PATH: ".
func undoSetup(path, data string, rec *setupRecord) (string, []string) {
	removed := append([]removedLine(nil), rec.Removed...)
	sort.SliceStable(removed, func(i, j int) bool { return removed[i].Offset < removed[j].Offset })
	if digestOf(data) == rec.After && strings.HasSuffix(data, rec.Added) {
		out := strings.TrimSuffix(data, rec.Added)
		for _, r := range removed {
			if r.Offset > len(out) {
				return data, []string{path + ": the record of the lines setup removed does not fit the file; nothing was changed"}
			}
			out = out[:r.Offset] + r.Text + out[r.Offset:]
		}
		return out, nil
	}
	var notes []string
	out := data
	if rec.Added != "" && strings.HasSuffix(out, rec.Added) {
		// Edited above mfa-git's sections only.
		out = strings.TrimSuffix(out, rec.Added)
	} else {
		for _, b := range rec.Blocks {
			var note string
			out, note = removeBlock(out, b)
			if note != "" {
				notes = append(notes, path+": "+note)
			}
		}
	}
	for _, r := range removed {
		var ok bool
		if out, ok = restoreLine(out, r); !ok {
			notes = append(notes, fmt.Sprintf("%s: could not put back %q in %s: that section is gone; add the line again if you still want it", path, strings.TrimRight(r.Text, "\r\n"), strings.TrimRight(r.Header, "\r\n")))
		}
	}
	return out, notes
}

// removeBlock removes one block setup appended from a file edited since:
// each of its lines still in a section under its header, and the header
// when nothing else is left in its section (a line the user added there
// must not fall into the section before).
func removeBlock(data, block string) (string, string) {
	want := strings.SplitAfter(block, "\n")
	header := want[0]
	ours := map[string]bool{}
	for _, l := range want[1:] {
		if l != "" {
			ours[l] = true
		}
	}
	lines, err := parseGitConfig([]byte(data))
	if err != nil {
		return data, fmt.Sprintf("could not read the file to remove the %s block: %v", strings.TrimRight(header, "\r\n"), err)
	}
	found, kept := false, false
	out := editSections(data, lines, func(h cfgLine) bool { return data[h.start:h.end] == header }, func(sec []cfgLine) string {
		// One without any of mfa-git's lines is the user's, with the
		// same header.
		var rest strings.Builder
		mine := false
		for _, l := range sec[1:] {
			t := data[l.start:l.end]
			if ours[t] {
				mine = true
				continue
			}
			rest.WriteString(t)
		}
		if !mine {
			return data[sec[0].start:sec[len(sec)-1].end]
		}
		found = true
		if strings.TrimSpace(rest.String()) != "" {
			kept = true
			return header + rest.String()
		}
		return rest.String()
	})
	switch {
	case !found:
		return data, fmt.Sprintf("the %s block setup added is gone (edited by hand?); nothing of it was removed", strings.TrimRight(header, "\r\n"))
	case kept:
		return out, fmt.Sprintf("kept the header %s: its section now holds lines mfa-git did not write", strings.TrimRight(header, "\r\n"))
	}
	return out, ""
}

// restoreLine puts r back after the line it followed, in the first
// section under its header; false when there is no such section.
func restoreLine(data string, r removedLine) (string, bool) {
	lines, err := parseGitConfig([]byte(data))
	if err != nil {
		return data, false
	}
	for i, l := range lines {
		if !l.header || data[l.start:l.end] != r.Header {
			continue
		}
		at := l.end // after the header when Prev is not found
		for j := i; j < len(lines) && (j == i || !lines[j].header); j++ {
			t := data[lines[j].start:lines[j].end]
			if j > i && t == r.Text {
				return data, true // already back
			}
			if t == r.Prev {
				at = lines[j].end
			}
		}
		text := r.Text
		if at > 0 && data[at-1] != '\n' {
			text = lineEnd(data) + strings.TrimRight(text, "\r\n")
		}
		// It was the file's last line, without a line end, but lines
		// were added after it since: it goes back as a whole line.
		if at < len(data) && !strings.HasSuffix(text, "\n") {
			text += lineEnd(data)
		}
		return data[:at] + text + data[at:], true
	}
	return data, false
}
