package agent

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

// Hostile bytes on the socket: readRequest must never panic, must bound
// what it reads, and anything it accepts must be a versioned request.
func FuzzReadRequest(f *testing.F) {
	f.Add([]byte(`{"v":1,"op":"get","key":"session/base/0123456789abcdef","profile":"base","margin":600000000000}` + "\n"))
	f.Add([]byte(`{"v":1,"op":"deliver","session":{"access_key_id":"ASIA","expiration":"2030-01-01T00:00:00Z"}}` + "\n"))
	f.Add([]byte(`{"v":2,"op":"stop"}` + "\n"))
	f.Add([]byte("{\"v\":1,\"op\":\"get\",\"key\":\"" + strings.Repeat("a", 70000) + "\"}\n"))
	f.Add([]byte("\x00\xff{{{{\n"))
	f.Add([]byte(`{"v":1,"op":"put","key":"session/x/1","session":null}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		req, err := readRequest(bufio.NewReaderSize(bytes.NewReader(in), 8192))
		if err != nil {
			return
		}
		if req.V != protocolVersion {
			t.Fatalf("accepted version %d", req.V)
		}
		if len(in) > MaxRequest+1 && !bytes.Contains(in[:MaxRequest+1], []byte("\n")) {
			t.Fatalf("accepted a %d-byte line", len(in))
		}
		// Whatever was accepted, the key check must not panic.
		validKey(req.Key, req.Session)
	})
}
