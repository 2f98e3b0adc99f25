package keystore

import "strings"

// KeyName encodes a name (a profile's) for use inside a keystore key, so that
// no two names share a key or a key prefix in any backend: lower-case
// letters, digits and "-" stay as they are; every other byte becomes "_"
// and two lower-case hex digits ("a/b" is "a_2fb", "Dev" is "_44ev"). The
// result holds no "/" (pass makes folders of it, and cleans "." and ".."
// parts), no ";" (the kernel keyring's descriptions are ";"-separated), no
// upper case (Windows Credential Manager, and the file and pass backends
// on macOS and Windows file systems, ignore case), and no "%" (the file
// backend's escape). The empty name, which is not a profile, is "_".
//
// Names made only of a-z, 0-9 and "-" keep the key they had before this
// encoding; sessions cached under another name's old key are not found
// and are made again (one MFA prompt).
func KeyName(name string) string {
	if name == "" {
		return "_"
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('_')
		b.WriteByte("0123456789abcdef"[c>>4])
		b.WriteByte("0123456789abcdef"[c&15])
	}
	return b.String()
}
