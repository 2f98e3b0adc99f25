package profile

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// diffGenerated is how many generated cases TestDifferential adds to
// handCases.
const diffGenerated = 220

// generated is how many of n generated cases a test runs here. Under
// Wine every file operation goes through wineserver, and the reader,
// the SDK's loader and the comparisons are the same code on every
// system: the Windows run takes a sixth of the generated cases (with
// every hand-written one), enough to cover Windows paths and files; the
// Linux run takes them all.
func generated(n int) uint64 {
	if runtime.GOOS == "windows" {
		return uint64(n / 6)
	}
	return uint64(n)
}

// TestDifferential resolves every profile and every key mfa-git reads in
// the hand-written and generated cases with mfa-git's reader, the AWS
// SDK for Go v2's loader and the AWS CLI, and compares them key by key:
// the reader must match the SDK everywhere, and differ from the CLI only
// where a documented disagreement (cliRules, README's configuration
// section) says so.
func TestDifferential(t *testing.T) {
	testenv.ClearAWSEnv(t)
	cases := slices.Clone(handCases)
	for seed := range generated(diffGenerated) {
		cases = append(cases, genCase(seed))
	}
	var (
		jobs      []cliJob
		jobCase   []int
		profiles  int
		keys      int
		sdkDiffs  int
		readerFor = map[int]*sharedFiles{}
	)
	for i, c := range cases {
		dir := t.TempDir()
		files := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
		if err := os.WriteFile(files.Config, []byte(c.cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(files.Credentials, []byte(c.creds), 0o600); err != nil {
			t.Fatal(err)
		}
		if !swapUsable([]byte(c.cfg), []byte(c.creds)) {
			t.Fatalf("%s: the case uses a stand-in key name", c.name)
		}
		sf := readShared(files)
		if sf.err != nil {
			t.Fatalf("%s: %v", c.name, sf.err)
		}
		readerFor[i] = sf
		passes, err := sdkFiles(dir, []byte(c.cfg), []byte(c.creds))
		if err != nil {
			t.Fatal(err)
		}
		names := candidateNames(c.cfg, c.creds)
		slices.Sort(names)
		var sdkNames []string
		job := cliJob{Config: files.Config, Credentials: files.Credentials, Queries: [][2]string{}}
		low := strings.ToLower(c.cfg + c.creds)
		for _, name := range names {
			a := readerView(sf, name)
			b, err := sdkView(passes, name)
			if err != nil {
				t.Fatalf("%s: profile %q: the SDK: %v\nconfig:\n%s\ncredentials:\n%s", c.name, name, err, c.cfg, c.creds)
			}
			profiles++
			keys += len(diffKeys)
			for _, d := range diffViews(swappedReaderView(a), b) {
				sdkDiffs++
				t.Errorf("%s: profile %q: %s\nconfig:\n%q\ncredentials:\n%q", c.name, name, d, c.cfg, c.creds)
			}
			if b.exists && !strings.HasPrefix(name, prefixSSOSession) && !strings.HasPrefix(name, prefixServices) {
				sdkNames = append(sdkNames, name)
			}
			for _, k := range diffKeys {
				if strings.Contains(low, k) {
					job.Queries = append(job.Queries, [2]string{name, k})
				}
			}
		}
		if got := Names(files); !slices.Equal(got, sdkNames) {
			t.Errorf("%s: Names = %q, the SDK finds %q\nconfig:\n%q\ncredentials:\n%q", c.name, got, sdkNames, c.cfg, c.creds)
		}
		jobs = append(jobs, job)
		jobCase = append(jobCase, i)
	}
	t.Logf("reader vs SDK: %d files (%d cases), %d profiles, %d keys compared, %d differences", 2*len(cases), len(cases), profiles, keys, sdkDiffs)

	answers := runCLI(t, jobs)
	cliKeys, explained := 0, map[string]int{}
	for j, job := range jobs {
		c := cases[jobCase[j]]
		sf := readerFor[jobCase[j]]
		for q, query := range job.Queries {
			cliKeys++
			name, key := query[0], query[1]
			state, val := answers[j][q].value()
			rstate, rval := readerRaw(sf, name, key)
			if state == rstate && val == rval {
				continue
			}
			rule := explainCLI(cliDiff{c, name, key, rstate, rval, state, val})
			if rule == "" {
				t.Errorf("%s: profile %q key %s: reader %s %q, CLI %s %q: no documented disagreement explains it\nconfig:\n%q\ncredentials:\n%q",
					c.name, name, key, rstate, rval, state, val, c.cfg, c.creds)
				continue
			}
			explained[rule]++
		}
	}
	t.Logf("reader vs AWS CLI: %d files, %d keys asked, differences by documented rule: %v", 2*len(jobs), cliKeys, explained)
}

// readerRaw is a key of a profile as the reader has it, in the CLI's
// terms.
func readerRaw(sf *sharedFiles, name, key string) (string, string) {
	raw, ok := sf.raw(name)
	if !ok {
		return "no profile", ""
	}
	v, ok := raw.keys[key]
	if !ok {
		return "unset", ""
	}
	return "set", v.str
}

// cliRule is one documented disagreement between the AWS CLI (v1,
// botocore's configparser reading) and the Go SDK, which mfa-git
// follows; README.md's configuration section lists the same rules.
type cliRule struct {
	name string
	// applies reports whether the rule explains the difference for key
	// of profile name: reader (the SDK's reading) vs CLI.
	applies func(d cliDiff) bool
}

// cliDiff is one difference between the reader and the CLI.
type cliDiff struct {
	c                          diffCase
	name, key                  string
	rstate, rval, state, value string
}

var (
	// A header as configparser takes it: up to the line's last "]".
	cpHeader = regexp.MustCompile(`^\[(.+)\]`)
	// A value with an inline comment, as the SDK cuts it.
	inlineComment = regexp.MustCompile(`^(.*?)(?:^|[ \t]+)[#;]`)
)

// cliRefuses names why configparser refuses file ("" if it would not):
// a byte-order mark, a line before any section, a line that is no key,
// or a section or key given twice.
func cliRefuses(file string) string {
	if strings.HasPrefix(file, "\ufeff") {
		return "byte-order mark"
	}
	sections := map[string]bool{}
	var keys map[string]bool
	optIndent := -1 // the indent of the open option's line, -1 for none
	for _, l := range strings.Split(strings.ReplaceAll(file, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, " \t"))
		if optIndent >= 0 && indent > optIndent {
			continue // a continuation line
		}
		if m := cpHeader.FindStringSubmatch(t); m != nil {
			if sections[m[1]] {
				return "a section given twice"
			}
			sections[m[1]], keys, optIndent = true, map[string]bool{}, -1
			continue
		}
		if keys == nil {
			return "a line before the first section"
		}
		i := strings.IndexAny(t, "=:")
		if i < 0 || strings.TrimSpace(t[:i]) == "" {
			return "a line that is no key"
		}
		k := strings.ToLower(strings.TrimSpace(t[:i]))
		if keys[k] {
			return "a key given twice"
		}
		keys[k], optIndent = true, indent
	}
	return ""
}

// lineMatches reports whether a line of either file matches re.
func (d cliDiff) lineMatches(re string) bool {
	return regexp.MustCompile("(?im)" + re).MatchString(d.c.cfg + "\n" + d.c.creds)
}

// cliRules are the documented disagreements, by name.
var cliRules = []cliRule{
	{"the CLI refuses a file the SDK reads (a section or key given twice, a line before the first section or that is no key, a byte-order mark)", func(d cliDiff) bool {
		return d.state == "parse error" && (cliRefuses(d.c.cfg) != "" || cliRefuses(d.c.creds) != "")
	}},
	{"the CLI keeps inline comments and quotes in values", func(d cliDiff) bool {
		if d.state != "set" || d.rstate != "set" {
			return false
		}
		v := d.value
		if m := inlineComment.FindStringSubmatch(v); m != nil {
			v = m[1]
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		return v == d.rval
	}},
	{"an indented line (key = value, or even a [header]) after a key: the SDK reads a key or section of its own, the CLI part of the value above", func(d cliDiff) bool {
		return d.lineMatches(`^[ \t]+[^\s#;]`) && (strings.Contains(d.value, "\n") || d.state == "unset" || d.state == "no profile" || d.rstate == "unset")
	}},
	{"key = followed by indented lines: the SDK reads an empty value, the CLI a block that configure get refuses", func(d cliDiff) bool {
		return d.rstate == "set" && d.rval == "" && strings.Contains(d.value, "must reference a value")
	}},
	{"a profile in both files: the SDK takes from the credentials file only the keys it merges (and the key pair only whole), the CLI every key", func(d cliDiff) bool {
		return d.state == "set" && !slices.Contains(mergedKeys, d.key) && d.lineMatches(`^[ \t]*\[[ \t]*`+regexp.QuoteMeta(d.name)+`[ \t]*\]`) && strings.Contains(strings.ToLower(d.c.creds), d.key)
	}},
	{"[profile NAME] in the credentials file: the SDK ignores it, the CLI reads a profile named \"profile NAME\"", func(d cliDiff) bool {
		return d.rstate == "no profile" && strings.HasPrefix(d.name, "profile ") && strings.Contains(d.c.creds, "[profile")
	}},
	{"a header with text after ] is no header for the SDK; the CLI reads the section", func(d cliDiff) bool {
		return d.lineMatches(`^[ \t]*\[[^\]\n]*\][^#;\n]*[^#;\s]`)
	}},
	{"header spelling: the CLI takes [ profile x ] (space after [), [Profile x] and [profile a  b] otherwise", func(d cliDiff) bool {
		return d.lineMatches(`^[ \t]*\[[ \t]`) || d.lineMatches(`^[ \t]*\[[^\]\n]*[ \t]\]`) || d.lineMatches(`^[ \t]*\[profile[^\]\n]*\S[ \t]+\S[^\]\n]*[ \t]{2}`) || d.lineMatches(`^[ \t]*\[Profile `)
	}},
	{"[default] and [profile default]: the SDK reads [profile default], the CLI the later one", func(d cliDiff) bool {
		return d.name == "default" && d.lineMatches(`^\s*\[\s*profile\s+default\s*\]`) && d.lineMatches(`^\s*\[\s*default\s*\]`)
	}},
	{"[DEFAULT] is configparser's section of defaults for every section in the CLI; for the SDK a profile", func(d cliDiff) bool {
		return strings.Contains(d.c.cfg+d.c.creds, "[DEFAULT]")
	}},
}

// explainCLI names the documented disagreement that explains a
// difference between the reader and the CLI, or "".
func explainCLI(d cliDiff) string {
	for _, r := range cliRules {
		if r.applies(d) {
			return r.name
		}
	}
	return ""
}

// The in-process configure get answers as the aws command does, for a
// handful of queries.
func TestCLIInProcessMatchesBinary(t *testing.T) {
	testenv.ClearAWSEnv(t)
	testenv.Require(t, "aws")
	var jobs []cliJob
	var cases []Files
	// Each aws run costs seconds on a loaded machine: 8 queries.
	for _, c := range []diffCase{handCases[0], handCases[13]} {
		dir := t.TempDir()
		f := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
		os.WriteFile(f.Config, []byte(c.cfg), 0o600)
		os.WriteFile(f.Credentials, []byte(c.creds), 0o600)
		job := cliJob{Config: f.Config, Credentials: f.Credentials, Queries: [][2]string{}}
		for _, k := range []string{"region", "mfa_serial"} {
			for _, p := range []string{"dev", "profile dev"} {
				job.Queries = append(job.Queries, [2]string{p, k})
			}
		}
		jobs, cases = append(jobs, job), append(cases, f)
	}
	answers := runCLI(t, jobs)
	n := 0
	for j, job := range jobs {
		for q, query := range job.Queries {
			got := awsConfigureGet(t, cases[j], query[0], query[1])
			gs, gv := got.value()
			ws, wv := answers[j][q].value()
			if gs != ws || gv != wv {
				t.Errorf("profile %q key %s: aws %s %q (%+v), in-process %s %q", query[0], query[1], gs, gv, got, ws, wv)
			}
			n++
		}
	}
	t.Logf("%d queries: the aws command and the in-process path agree", n)
}

// FuzzReaderMatchesSDK compares the reader with the Go SDK's loader on
// any pair of files (the CLI is not in the loop). Inputs the SDK cannot
// load for reasons of its own (it panics on a value that is a lone
// quote, checks settings mfa-git does not read) or that name the
// stand-in keys of sdkView are skipped.
func FuzzReaderMatchesSDK(f *testing.F) {
	testenv.ClearAWSEnv(f)
	for _, c := range handCases {
		f.Add([]byte(c.cfg), []byte(c.creds))
	}
	f.Fuzz(func(t *testing.T, cfg, creds []byte) {
		if !swapUsable(cfg, creds) {
			t.Skip("names a stand-in key")
		}
		dir := t.TempDir()
		files := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
		os.WriteFile(files.Config, cfg, 0o600)
		os.WriteFile(files.Credentials, creds, 0o600)
		sf := readShared(files)
		if sf.err != nil {
			t.Skip("a line too long for the reader")
		}
		passes, err := sdkFiles(dir, cfg, creds)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range candidateNames(string(cfg), string(creds)) {
			b, err := sdkView(passes, name)
			if err != nil {
				t.Skipf("the SDK: %v", err)
			}
			if d := diffViews(swappedReaderView(readerView(sf, name)), b); d != nil {
				t.Fatalf("profile %q: %s", name, strings.Join(d, "\n"))
			}
		}
	})
}
