package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestHelpTextsRead checks every help text the command table makes: the
// main usage line by line, each command's usage paragraph by paragraph,
// each flag's and environment variable's text: brackets close where they
// open, and every variable a text names is one mfa-git documents.
func TestHelpTextsRead(t *testing.T) {
	documented := map[string]bool{}
	for _, e := range environment {
		documented[e.name] = true
	}
	// Variables mfa-git sets for others, named in help but not read.
	for _, v := range []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN"} {
		documented[v] = true
	}
	var texts []struct{ where, text string }
	add := func(where, text string) { texts = append(texts, struct{ where, text string }{where, text}) }
	for i, line := range strings.Split(mainUsage(), "\n") {
		add("mfa-git --help, line "+itoa(i+1), line)
	}
	for name := range commands {
		var out, errb bytes.Buffer
		if code := run([]string{"mfa-git", name, "--help"}, strings.NewReader(""), &out, &errb); code != 0 {
			t.Fatalf("%s --help: exit %d %s", name, code, errb.String())
		}
		for i, para := range strings.Split(out.String(), "\n\n") {
			add("mfa-git "+name+" --help, paragraph "+itoa(i+1), para)
		}
	}
	fs := newFlagSet(&flags{})
	for _, n := range append(append([]string{}, commonFlags...), allCommandFlags()...) {
		add("--"+n, fs.Lookup(n).Usage)
	}
	for _, e := range environment {
		add(e.name, e.desc)
	}
	envName := regexp.MustCompile(`\$?\b(MFA_GIT|AWS|GIT|XDG|SSH|DBUS)_[A-Z_]+\b`)
	for _, tx := range texts {
		if err := balanced(tx.text); err != "" {
			t.Errorf("%s: %s in %q", tx.where, err, tx.text)
		}
		if strings.Contains(tx.text, "[=true|false]") {
			t.Errorf("%s: pflag's [=true|false] in %q", tx.where, tx.text)
		}
		for _, m := range envName.FindAllString(tx.text, -1) {
			if name := strings.TrimPrefix(m, "$"); !documented[name] {
				t.Errorf("%s names %s, which the environment table does not document", tx.where, name)
			}
		}
	}
}

// TestAgentHelpSocket: the agent's help gives the socket's place in the
// order the code looks for it, and nothing else in that sentence.
func TestAgentHelpSocket(t *testing.T) {
	var out bytes.Buffer
	run([]string{"mfa-git", "agent", "--help"}, strings.NewReader(""), &out, &out)
	flat := strings.Join(strings.Fields(out.String()), " ")
	want := "Its socket is $MFA_GIT_AGENT_SOCK, else $XDG_RUNTIME_DIR/mfa-git/agent.sock, else agent.sock in the user cache folder."
	if !strings.Contains(flat, want) {
		t.Errorf("agent --help lacks %q:\n%s", want, out.String())
	}
}

// balanced reports the first bracket that does not close, or "".
func balanced(s string) string {
	var open []rune
	pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			open = append(open, r)
		case ')', ']', '}':
			if len(open) == 0 || open[len(open)-1] != pairs[r] {
				return "unopened " + string(r)
			}
			open = open[:len(open)-1]
		}
	}
	if len(open) > 0 {
		return "unclosed " + string(open[len(open)-1])
	}
	return ""
}

func itoa(i int) string { return strconv.Itoa(i) }
