//go:build linux

package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// runnableBlocks returns the shell blocks README.md marks as runnable (a
// "<!-- runnable ... -->" line right before a ```sh block), in order.
func runnableBlocks(t *testing.T) [][]string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks [][]string
	lines := strings.Split(string(b), "\n")
	for i := 0; i+1 < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "<!-- runnable") || lines[i+1] != "```sh" {
			continue
		}
		var block []string
		for i += 2; i < len(lines) && lines[i] != "```"; i++ {
			block = append(block, lines[i])
		}
		blocks = append(blocks, block)
	}
	return blocks
}

// TestReadmeRunnable runs the README's runnable blocks as written, in a
// private HOME, in order: the quick start (install.sh --walkthrough
// builds mfa-git into ~/.local/bin and runs the sandbox walk-through),
// then a new user's three commands against the sandbox standing in for
// their AWS account: add, setup (answered "y" on a terminal, as a person
// would), and git clone of a real CodeCommit URL, which git reaches
// through an HTTPS proxy on loopback with a certificate of a test CA.
// ./test.sh, the other quick-start line, is what CI runs: running it here
// would run this test again.
func TestReadmeRunnable(t *testing.T) {
	testenv.Require(t, "git")
	testenv.Require(t, "go")
	blocks := runnableBlocks(t)
	if len(blocks) != 2 {
		t.Fatalf("README.md has %d runnable blocks; want the quick start and a new user's commands", len(blocks))
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	env := []string{
		"HOME=" + home, "PATH=" + filepath.Join(home, ".local", "bin") + ":" + os.Getenv("PATH"),
		"TMPDIR=" + t.TempDir(), "TERM=dumb", "LANG=C.UTF-8", "GIT_CONFIG_NOSYSTEM=1",
	}
	for _, kv := range os.Environ() {
		// Go's caches (a warm build). No session bus, as on a fresh
		// Debian machine without a desktop: the default keyring is the
		// kernel's (test.sh gives the tests their own).
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "GO") {
			env = append(env, kv)
		}
	}

	t.Run("quick start", func(t *testing.T) {
		for _, line := range blocks[0] {
			cmdline, _, _ := strings.Cut(line, "#")
			cmdline = strings.TrimSpace(cmdline)
			if cmdline == "./test.sh" {
				continue
			}
			cmd := exec.Command("sh", "-c", cmdline)
			cmd.Dir, cmd.Env = root, env
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // no terminal: the walk-through uses a token command
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", cmdline, err, out)
			}
			for _, want := range []string{"403", "$ mfa-git setup --profile sandbox", "sandbox counters:", "mfa-git add --profile base", "mfa-git setup --profile base"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("%s: no %q in its output:\n%s", cmdline, want, out)
				}
			}
		}
	})
	if _, err := os.Stat(filepath.Join(home, ".local", "bin", "mfa-git")); err != nil {
		t.Fatalf("the quick start did not install mfa-git: %v", err)
	}

	t.Run("a new user's commands", func(t *testing.T) {
		sb, err := sandbox.Start(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(sb.Close)
		clone := exec.Command("git", "clone", "-q", "--bare", filepath.Join(sb.ReposDir, "demo"), filepath.Join(sb.ReposDir, "app"))
		if out, err := clone.CombinedOutput(); err != nil {
			t.Fatalf("make the app repository: %v\n%s", err, out)
		}
		caFile, proxy := codeCommitProxy(t, "git-codecommit.eu-west-1.amazonaws.com", sb.GitURL)
		// The user's AWS files: their IAM user's keys, a region. The
		// sandbox answers for STS and IAM.
		aws := filepath.Join(home, ".aws")
		os.MkdirAll(aws, 0o700)
		os.WriteFile(filepath.Join(aws, "config"), []byte("[profile base]\nregion = eu-west-1\n"), 0o600)
		os.WriteFile(filepath.Join(aws, "credentials"), []byte("[base]\naws_access_key_id = "+sb.AccessKeyID+"\naws_secret_access_key = "+sb.SecretAccessKey+"\n"), 0o600)
		askpass := filepath.Join(home, "askpass")
		os.WriteFile(askpass, []byte("#!/bin/sh\nMFA_GIT_SANDBOX_TEST_MAIN=1 exec "+os.Args[0]+" fresh-code "+sb.STSURL+"\n"), 0o700)
		userEnv := append(env,
			"AWS_ENDPOINT_URL="+sb.STSURL, "HTTPS_PROXY="+proxy, "GIT_SSL_CAINFO="+caFile,
			"MFA_GIT_KEYRING=file", "MFA_GIT_FILE_PASSPHRASE=readme-test", "MFA_GIT_AGENT=off",
			"GIT_ASKPASS="+askpass, // the code, as an IDE would ask for it
		)
		term := openPTY(t)
		script := strings.Join(append([]string{"set -e"}, blocks[1]...), "\n")
		cmd := exec.Command("bash", "-c", script)
		cmd.Dir, cmd.Env = t.TempDir(), userEnv
		exited := term.start(t, cmd)
		term.expect(t, regexp.MustCompile(`use MFA device arn:aws:iam::\d+:mfa/\S+ for profile base\?`), 60*time.Second)
		term.write(t, "y\n")
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("%v\n%s", err, term.output())
			}
		case <-time.After(90 * time.Second):
			t.Fatalf("still running after 90s\n%s", term.output())
		}
		if _, err := os.Stat(filepath.Join(cmd.Dir, "app", "README.md")); err != nil {
			t.Errorf("git clone made no working tree: %v\n%s", err, term.output())
		}
		creds, _ := os.ReadFile(filepath.Join(aws, "credentials"))
		if strings.Contains(string(creds), sb.SecretAccessKey) {
			t.Errorf("the long-term key is still in ~/.aws/credentials after mfa-git add")
		}
		if st := sb.Stats(); st.GetSessionToken != 1 {
			t.Errorf("%d GetSessionToken calls; want 1\n%s", st.GetSessionToken, term.output())
		}
	})
}

// codeCommitProxy serves host over HTTPS on loopback, with a certificate
// of a CA made here, passing requests (Host header kept, as the password
// is signed for it) to the sandbox's git server at backend; and an HTTP
// proxy that sends every CONNECT there. It returns the CA's PEM file
// (GIT_SSL_CAINFO) and the proxy's URL (HTTPS_PROXY).
func codeCommitProxy(t *testing.T, host, backend string) (caFile, proxyURL string) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mfa-git README test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600)

	target, _ := url.Parse(backend)
	srv := httptest.NewUnstartedServer(httputil.NewSingleHostReverseProxy(target))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go connectTo(c, srv.Listener.Addr().String())
		}
	}()
	return caFile, "http://" + ln.Addr().String()
}

// connectTo answers one CONNECT request on c by joining it to addr,
// whatever host it asked for; each side may idle a minute at most.
func connectTo(c net.Conn, addr string) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil || req.Method != http.MethodConnect {
		io.WriteString(c, "HTTP/1.1 405 Method Not Allowed\r\n\r\n")
		return
	}
	up, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
		return
	}
	defer up.Close()
	up.SetDeadline(time.Now().Add(time.Minute))
	io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	go io.Copy(up, c)
	io.Copy(c, up)
}
