package sandbox

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"time"
)

// TOTPStep is the RFC 6238 time step AWS virtual MFA devices use.
const TOTPStep = 30 * time.Second

// TOTP returns the six-digit RFC 6238 code (HMAC-SHA1) for secret at t.
func TOTP(secret []byte, t time.Time) string {
	return hotp(secret, uint64(t.Unix()/int64(TOTPStep/time.Second)))
}

func hotp(secret []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1000000)
}
