package profile

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// cliJob is one pair of files and the (profile, key) pairs to ask the AWS
// CLI about.
type cliJob struct {
	Config      string      `json:"config"`
	Credentials string      `json:"credentials"`
	Queries     [][2]string `json:"queries"`
}

// cliAnswer is what `aws configure get KEY --profile P` did.
type cliAnswer struct {
	rc          int
	out, stderr string
}

// value is the answer as a key's state: set (with the value), unset, no
// such profile, or the files could not be parsed.
func (a cliAnswer) value() (string, string) {
	switch {
	case strings.Contains(a.stderr, "Unable to parse config file"):
		return "parse error", ""
	case a.rc == 0:
		return "set", strings.TrimSuffix(a.out, "\n")
	case a.rc == 1 && a.out == "" && a.stderr == "":
		return "unset", ""
	case strings.Contains(a.stderr, "could not be found"):
		return "no profile", ""
	}
	return "error", fmt.Sprintf("rc %d: %s", a.rc, a.stderr)
}

// cliPython finds the interpreter the aws command runs under (through
// pyenv's shim where it is one).
func cliPython(t *testing.T) string {
	t.Helper()
	aws := testenv.Require(t, "aws")
	script := aws
	if filepath.Base(filepath.Dir(aws)) == "shims" {
		cmd := exec.Command("pyenv", "which", "aws")
		cmd.Env = append(os.Environ(), "PYENV_ROOT="+filepath.Dir(filepath.Dir(aws)))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pyenv which aws: %v", err)
		}
		script = strings.TrimSpace(string(out))
	}
	b, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(strings.TrimPrefix(first, "#!"))
	if len(f) == 0 || !strings.Contains(first, "python") {
		t.Fatalf("%s does not start with a python #! line: %q", script, first)
	}
	if filepath.Base(f[0]) == "env" {
		f = f[1:]
	}
	return f[0]
}

// runCLI answers every job's queries with the AWS CLI's configure get,
// in one python process.
func runCLI(t *testing.T, jobs []cliJob) [][]cliAnswer {
	t.Helper()
	python := cliPython(t)
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, j := range jobs {
		if err := enc.Encode(j); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join("testdata", "configure_get.py"))
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s configure_get.py: %v\n%s", python, err, stderr.String())
	}
	var all [][]cliAnswer
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var raw [][3]any
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		answers := make([]cliAnswer, len(raw))
		for i, r := range raw {
			rc, _ := r[0].(float64)
			o, _ := r[1].(string)
			e, _ := r[2].(string)
			answers[i] = cliAnswer{int(rc), o, e}
		}
		all = append(all, answers)
	}
	if len(all) != len(jobs) {
		t.Fatalf("configure_get.py answered %d of %d jobs", len(all), len(jobs))
	}
	return all
}

// awsConfigureGet runs the real aws command for one query.
func awsConfigureGet(t *testing.T, files Files, profile, key string) cliAnswer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "aws", "configure", "get", key, "--profile", profile)
	cmd.Env = append(os.Environ(), "AWS_CONFIG_FILE="+files.Config, "AWS_SHARED_CREDENTIALS_FILE="+files.Credentials, "AWS_PROFILE=")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	rc := 0
	if ee, ok := err.(*exec.ExitError); ok {
		rc = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return cliAnswer{rc, out.String(), stderr.String()}
}
