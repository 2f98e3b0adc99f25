// Package archtest checks the layout docs/ARCHITECTURE.md draws: every
// package sits on a layer, and imports only packages on layers below it.
package archtest

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

const module = "github.com/mfa-git/mfa-git/"

// layers lists the packages from the top down, as docs/ARCHITECTURE.md
// draws them; packages on one line are siblings and must not import each
// other.
var layers = [][]string{
	{"cmd/mfa-git", "cmd/mfa-git-sandbox", "bench/cmdbench", "bench/trivial"},
	{"internal/setup"},
	{"internal/doctor"},
	{"internal/agent/service"},
	{"internal/agent"},
	{"internal/stale", "internal/gitconfig", "internal/codecommit"},
	{"internal/source"},
	{"internal/prompt"},
	{"internal/awsapi"},
	{"internal/testkit/sandboxtest"},
	{"internal/profile", "internal/session"},
	{"internal/testkit/keystoretest"},
	{"internal/keystore", "gitcred"},
	{"internal/testkit/sandbox"},
	{"internal/keystore/internal/busguard", "internal/filelock", "internal/macsecurity", "internal/child", "internal/hint", "internal/trace", "internal/shell"},
	{"internal/userdir"},
	{"internal/atomicfile", "internal/trust"},
	{"internal/syserr", "internal/prefault", "internal/flatjson"},
	{"internal/testkit/testenv"}, // imports nothing of ours: every package's tests may use it
}

// TestImportsPointDown fails when a package imports one on its own layer
// or above, or when a package is on no layer.
func TestImportsPointDown(t *testing.T) {
	testenv.Require(t, "go")
	level := map[string]int{}
	for i, l := range layers {
		for _, p := range l {
			level[p] = i
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Imports of every package's files and tests, for every OS it ships
	// for: build tags choose files, and a file for one OS may import more.
	for _, goos := range []string{"linux", "darwin", "windows"} {
		cmd := exec.CommandContext(ctx, "go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`, module+"...")
		cmd.Env = append(cmd.Environ(), "GOOS="+goos)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("GOOS=%s go list: %v", goos, err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			fields := strings.Fields(line)
			pkg := strings.TrimPrefix(fields[0], module)
			if pkg == "internal/testkit/archtest" {
				continue
			}
			from, ok := level[pkg]
			if !ok {
				t.Errorf("%s is on no layer: add it to docs/ARCHITECTURE.md and to layers here", pkg)
				continue
			}
			for _, imp := range fields[1:] {
				dep, ours := strings.CutPrefix(imp, module)
				if !ours || dep == pkg {
					continue
				}
				if to, ok := level[dep]; ok && to <= from {
					t.Errorf("GOOS=%s: %s (layer %d) imports %s (layer %d), which is not below it", goos, pkg, from, dep, to)
				}
			}
		}
	}
}

// TestProductLinksNoTestKit fails when the mfa-git binary links a package
// of internal/testkit (the test infrastructure), on any OS it ships for;
// of the test kit, the sandbox binary links only the sandbox.
func TestProductLinksNoTestKit(t *testing.T) {
	testenv.Require(t, "go")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	allowed := map[string]map[string]bool{
		"cmd/mfa-git":         {},
		"cmd/mfa-git-sandbox": {"internal/testkit/sandbox": true},
	}
	for _, goos := range []string{"linux", "darwin", "windows"} {
		for bin, ok := range allowed {
			cmd := exec.CommandContext(ctx, "go", "list", "-deps", "./"+bin)
			cmd.Dir = "../../.."
			cmd.Env = append(cmd.Environ(), "GOOS="+goos)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("GOOS=%s go list -deps %s: %v", goos, bin, err)
			}
			for _, dep := range strings.Fields(string(out)) {
				rel, ours := strings.CutPrefix(dep, module)
				if ours && strings.HasPrefix(rel, "internal/testkit/") && !ok[rel] {
					t.Errorf("GOOS=%s: %s links %s, test infrastructure", goos, bin, rel)
				}
			}
		}
	}
}
