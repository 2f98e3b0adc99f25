package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEnvironmentDocumented reads the source of every package the mfa-git
// binary is made of and fails when it reads an environment variable that
// the environment table (--help, the man page) does not document.
func TestEnvironmentDocumented(t *testing.T) {
	documented := map[string]bool{}
	for _, e := range environment {
		documented[e.name] = true
	}
	read := readEnvNames(t, "../..")
	if len(read) < 20 {
		t.Fatalf("found only %d variables read: the scan is broken: %v", len(read), read)
	}
	for name, where := range read {
		if prefix, ok := strings.CutSuffix(name, "*"); ok {
			// AWS_ENDPOINT_URL_ + a service id: the services mfa-git calls.
			for _, svc := range []string{"STS", "IAM", "SSO", "SSO_OIDC", "SIGNIN"} {
				if !documented[prefix+svc] {
					t.Errorf("%s reads %s%s, which the environment table does not document", where, prefix, svc)
				}
			}
			continue
		}
		if !documented[name] {
			t.Errorf("%s reads %s, which the environment table does not document", where, name)
		}
	}
}

// readEnvNames finds the names passed to Getenv, LookupEnv or getenv, as
// literals or string constants, in the non-test Go files under root that
// the mfa-git binary links (the sandbox, test helpers and the benchmark
// are not). A name built as "PREFIX_"+x is reported as "PREFIX_*".
func readEnvNames(t *testing.T, root string) map[string]string {
	t.Helper()
	skip := map[string]bool{"bench": true, "internal/testkit": true, "cmd/mfa-git-sandbox": true, "testdata": true}
	found := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if skip[filepath.ToSlash(rel)] || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		consts := map[string]string{}
		ast.Inspect(f, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok {
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[name.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			var fn string
			switch f := call.Fun.(type) {
			case *ast.SelectorExpr:
				fn = f.Sel.Name
			case *ast.Ident:
				fn = f.Name
			}
			if fn != "Getenv" && fn != "LookupEnv" && fn != "getenv" {
				return true
			}
			name := envArg(call.Args[0], consts)
			if name != "" {
				found[name] = fset.Position(call.Pos()).String()
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Read through the standard library: os.UserCacheDir, os.UserConfigDir
	// and the proxy settings of net/http.
	for _, n := range []string{"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "HTTPS_PROXY", "NO_PROXY"} {
		found[n] = "the standard library"
	}
	return found
}

func envArg(e ast.Expr, consts map[string]string) string {
	switch a := e.(type) {
	case *ast.BasicLit:
		s, _ := strconv.Unquote(a.Value)
		return s
	case *ast.Ident:
		return consts[a.Name]
	case *ast.BinaryExpr:
		if p := envArg(a.X, consts); p != "" {
			return p + "*"
		}
	}
	return ""
}
